import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/types.ts';
import { geminiSurface } from './index.ts';
import { renderGeminiError } from './render-error.ts';
import { toGeminiResponse } from './render-response.ts';
import { ChunkFramer, GeminiChunkRenderer } from './render-stream.ts';

const events: StreamEvent[] = [
  { type: 'response-start', id: 'resp-1', model: 'up-model', created: 0 },
  { type: 'reasoning-delta', choice: 0, text: 'hmm' },
  { type: 'text-delta', choice: 0, text: 'Hi' },
  { type: 'reasoning-delta', choice: 0, signature: 'sig' },
  { type: 'finish', choice: 0, reason: { unified: 'length', raw: 'length' } },
  { type: 'usage', usage: { inputTokens: 5, outputTokens: 9, reasoningTokens: 4, estimated: false } },
];

function render(framing: 'sse' | 'json-array', list: StreamEvent[]): string {
  const renderer = new GeminiChunkRenderer(new ChunkFramer(framing), 'public');
  return list.map((event) => renderer.render(event)).join('') + renderer.end();
}

describe('Gemini stream rendering', () => {
  it('SSE: data frames ending in CRLF CRLF; the finish, a pending signature and usage on the last chunk only', () => {
    const frames = render('sse', events).split('\r\n\r\n').filter(Boolean);
    assert.ok(
      frames.every((frame) => frame.startsWith('data: ')),
      'data frames',
    );
    const chunks = frames.map((frame) => JSON.parse(frame.slice(6)));
    assert.deepEqual(chunks[0].candidates[0].content.parts, [{ text: 'hmm', thought: true }]);
    assert.equal(chunks[0].responseId, 'resp-1');
    assert.equal(chunks[0].modelVersion, 'up-model');
    const last = chunks.at(-1);
    assert.deepEqual(last.candidates[0], {
      content: { role: 'model', parts: [{ text: '', thoughtSignature: 'sig' }] },
      finishReason: 'MAX_TOKENS',
      index: 0,
    });
    assert.deepEqual(last.usageMetadata, {
      promptTokenCount: 5,
      candidatesTokenCount: 5,
      totalTokenCount: 14,
      thoughtsTokenCount: 4,
    });
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.candidates[0].finishReason === undefined));
  });

  it('thought text only when the client asked for it (includeThoughts); the signature always', () => {
    const renderer = new GeminiChunkRenderer(new ChunkFramer('sse'), 'public', false);
    const text = events.map((event) => renderer.render(event)).join('') + renderer.end();
    assert.ok(!text.includes('hmm'), 'no thought text');
    assert.ok(text.includes('"thoughtSignature":"sig"'), 'signature kept');
  });

  it('JSON array: one parseable array, even for an empty stream', () => {
    assert.equal(JSON.parse(render('json-array', events)).length, 3);
    assert.equal(JSON.parse(render('json-array', [])).length, 1, 'the finishing chunk alone');
  });

  it('function calls go out whole, with their signature, also when the upstream marks no end', () => {
    const text = render('sse', [
      { type: 'tool-call-start', choice: 0, index: 0, id: 'c1', name: 'f', signature: 's' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"a":' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '1}' },
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_calls' } },
    ]);
    const chunks = text
      .split('\r\n\r\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.slice(6)));
    assert.deepEqual(chunks[0].candidates[0].content.parts, [
      { functionCall: { id: 'c1', name: 'f', args: { a: 1 } }, thoughtSignature: 's' },
    ]);
    assert.equal(chunks[1].candidates[0].finishReason, 'STOP');
  });

  it('a stream error: an error frame in SSE, the closing element of a JSON array', () => {
    const error = new GatewayError('upstream_error', 'boom');
    const body = { contents: [{ parts: [{ text: 'x' }] }] };
    const sse = geminiSurface.parse(body, {
      requestId: 'r1',
      params: { modelAction: 'm:streamGenerateContent' },
      query: { alt: 'sse' },
    });
    assert.match(sse.renderStreamError(error), /^data: \{"error":\{"code":502,.*"status":"UNAVAILABLE"\}\}\r\n\r\n$/);
    const array = geminiSurface.parse(body, { requestId: 'r1', params: { modelAction: 'm:streamGenerateContent' } });
    const renderer = array.createStreamRenderer();
    const started = renderer.render({ type: 'text-delta', choice: 0, text: 'a' });
    assert.equal(JSON.parse(started + array.renderStreamError(error)).length, 2, 'still a JSON array');
  });
});

describe('Gemini response and error rendering', () => {
  it('a result: thoughts, text and calls in order, finish, usage, model and id', () => {
    const response = toGeminiResponse({
      id: 'id1',
      model: 'up',
      created: 0,
      choices: [
        {
          index: 0,
          text: 'Hello',
          refusal: null,
          reasoning: [{ type: 'reasoning', text: '', signature: 'sig' }],
          toolCalls: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '' }],
          citations: [],
          logprobs: null,
          finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
        },
      ],
      usage: { inputTokens: 3, outputTokens: 2, estimated: false },
    });
    assert.deepEqual(response.candidates?.[0]?.content?.parts, [
      { text: 'Hello', thoughtSignature: 'sig' },
      { functionCall: { id: 'c', name: 'f', args: {} } },
    ]);
    assert.equal(response.candidates?.[0]?.finishReason, 'STOP');
    assert.deepEqual(response.usageMetadata, { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 });
    assert.deepEqual([response.modelVersion, response.responseId], ['up', 'id1']);
  });

  it("errors: Google's envelope and status names, the request id in the message, secrets redacted", () => {
    const cases: Array<[GatewayError, number, string]> = [
      [new GatewayError('invalid_request', 'bad'), 400, 'INVALID_ARGUMENT'],
      [new GatewayError('invalid_api_key', 'no key'), 401, 'UNAUTHENTICATED'],
      [new GatewayError('model_not_allowed', 'no'), 403, 'PERMISSION_DENIED'],
      [new GatewayError('model_not_found', 'no'), 404, 'NOT_FOUND'],
      [new GatewayError('rate_limit_exceeded', 'slow', { retryAfterMs: 1500 }), 429, 'RESOURCE_EXHAUSTED'],
      [new GatewayError('internal_error', 'oops'), 500, 'INTERNAL'],
      [new GatewayError('no_deployment_available', 'none'), 503, 'UNAVAILABLE'],
      [new GatewayError('upstream_timeout', 'late'), 504, 'DEADLINE_EXCEEDED'],
    ];
    for (const [error, status, name] of cases) {
      const rendered = renderGeminiError(error, 'req-1');
      const body = JSON.parse(rendered.body);
      assert.equal(rendered.status, status);
      assert.deepEqual([body.error.code, body.error.status], [status, name], error.code);
      assert.match(body.error.message, /\(request id: req-1\)$/);
    }
    assert.equal(renderGeminiError(cases[4]?.[0] as GatewayError, 'r').headers['retry-after'], '2');
    const upstream = new GatewayError('invalid_request', 'x', {
      upstreamFormat: 'gemini',
      upstreamType: 'FAILED_PRECONDITION',
    });
    assert.equal(
      JSON.parse(renderGeminiError(upstream, 'r').body).error.status,
      'FAILED_PRECONDITION',
      "Gemini's own status kept",
    );
    const secret = new GatewayError('upstream_error', 'key sk-abcdefghijklmnopqrstuvwxyz0123456789 leaked');
    assert.ok(!renderGeminiError(secret, 'r').body.includes('sk-abcdefghijklmnop'), 'redacted');
  });
});
