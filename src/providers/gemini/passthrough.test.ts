import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { geminiTarget, streamBody } from '../../../test/support/providers/gemini/test-helpers.ts';
import { splitSseFrames } from '../../../test/support/replay-common.ts';
import { GatewayError } from '../../core/errors.ts';
import { geminiPassthrough } from './passthrough.ts';

const BODY = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
const TEXT_STREAM = 'gemini/vercel-ai/google-text.chunks.txt';

describe('Gemini passthrough hooks', () => {
  it("the deployment's model in the URL, its key in the header, the body as the client sent it", () => {
    const target = geminiTarget({ model: 'gemini-2.5-flash', apiKey: 'k' });
    const unary = geminiPassthrough.prepare(BODY, target, { stream: false, streamFraming: 'sse' });
    assert.match(unary.request.url, /\/v1beta\/models\/gemini-2\.5-flash:generateContent$/);
    assert.equal(unary.request.headers['x-goog-api-key'], 'k');
    assert.deepEqual(JSON.parse(String(unary.request.body)), BODY);
    const stream = geminiPassthrough.prepare(BODY, target, { stream: true, streamFraming: 'json-array' });
    assert.match(stream.request.url, /:streamGenerateContent\?alt=sse$/, 'always SSE upstream');
  });

  it('bodyOverrides are merged over the client body; what they change is listed', () => {
    const target = geminiTarget({ bodyOverrides: { generationConfig: { temperature: 0 } } });
    const client = { ...BODY, generationConfig: { temperature: 1, topK: 3 } };
    const prepared = geminiPassthrough.prepare(client, target, { stream: false, streamFraming: 'sse' });
    assert.deepEqual(JSON.parse(String(prepared.request.body)).generationConfig, { temperature: 0, topK: 3 });
    assert.equal(prepared.warnings.length, 1);
  });

  it('a unary body is checked and its usageMetadata read; the bytes are unchanged', () => {
    const prepared = geminiPassthrough.prepare(BODY, geminiTarget(), { stream: false, streamFraming: 'sse' });
    const bytes = Buffer.from(
      '{"candidates":[],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":7}}',
    );
    const { body, usage } = prepared.readBody(bytes);
    assert.equal(body, bytes);
    assert.deepEqual([usage?.inputTokens, usage?.outputTokens], [3, 4]);
    assert.throws(() => prepared.readBody(Buffer.from('[1]')), GatewayError);
  });

  it('SSE: frames forwarded as they are, the last usageMetadata kept; JSON array: the same chunks re-framed', () => {
    const frames = splitSseFrames(streamBody(TEXT_STREAM)).map((frame) => Buffer.from(frame));
    const sse = geminiPassthrough
      .prepare(BODY, geminiTarget(), { stream: true, streamFraming: 'sse' })
      .createStreamFilter();
    for (const frame of frames) assert.equal(sse.filter(frame), frame, 'unchanged');
    assert.equal(sse.requiresEndFrame, false);
    assert.ok((sse.usage?.outputTokens ?? 0) > 0, 'usage read');
    const array = geminiPassthrough
      .prepare(BODY, geminiTarget(), { stream: true, streamFraming: 'json-array' })
      .createStreamFilter();
    const text =
      frames.map((frame) => array.filter(frame)?.toString() ?? '').join('') + (array.closing?.()?.toString() ?? '');
    assert.equal(JSON.parse(text).length, frames.length, 'one element per frame');
    assert.deepEqual(array.usage, sse.usage);
  });
});
