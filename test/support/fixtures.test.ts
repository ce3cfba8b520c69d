import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  atLeast,
  listFixtures,
  loadCassette,
  loadChunkLines,
  loadChunksAsSse,
  loadDotnetRecord,
  loadFirebaseMock,
  loadJsGenaiRecording,
  loadRawSse,
  loadVercelJson,
  readFixture,
} from './fixtures.ts';
import { isRecord } from './json-guards.ts';
import { splitSseFrames } from './replay-common.ts';

interface Frame {
  event: string | undefined;
  data: string;
}

function parseFrame(frame: string): Frame {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of frame.split(/\r\n|\n|\r/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return { event, data: data.join('\n') };
}

/** Every frame is `data: <json>` (plus `event:` for Anthropic); returns the parsed frames. */
function assertSseJson(body: Buffer, what: string, options: { done?: boolean; crlf?: boolean } = {}): Frame[] {
  const frames = splitSseFrames(body).map(parseFrame);
  assert.ok(frames.length > 0, `${what}: no frames`);
  const payloads = options.done ? frames.slice(0, -1) : frames;
  for (const frame of payloads)
    assert.doesNotThrow(() => JSON.parse(frame.data), `${what}: ${frame.data.slice(0, 80)}`);
  if (options.done) assert.equal(frames.at(-1)?.data, '[DONE]', `${what}: last frame is not [DONE]`);
  if (options.done) assert.ok(body.toString('utf8').endsWith('data: [DONE]\n\n'), `${what}: does not end with [DONE]`);
  if (options.crlf) assert.ok(body.toString('utf8').endsWith('\r\n\r\n'), `${what}: not CRLF framed`);
  return frames;
}

describe('fixture loaders', () => {
  it('openai-python .bin bodies are data: frames ending with [DONE]', () => {
    const files = listFixtures('openai/openai-python', '.bin');
    assert.equal(files.length, 9);
    for (const rel of files) assertSseJson(loadRawSse(rel), rel, { done: true });
  });

  it('every vercel-ai chunks.txt line is JSON and frames like the real API', () => {
    const groups = [
      ['openai', listFixtures('openai/vercel-ai', '.chunks.txt')],
      ['anthropic', listFixtures('anthropic/vercel-ai', '.chunks.txt')],
      ['gemini', listFixtures('gemini/vercel-ai', '.chunks.txt')],
    ] as const;
    for (const [format, files] of groups) {
      assert.ok(files.length > 0, format);
      for (const rel of files) {
        const lines = loadChunkLines(rel);
        for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `${rel}: ${line.slice(0, 80)}`);
        const body = loadChunksAsSse(rel, format);
        const frames = assertSseJson(body, rel, { done: format === 'openai', crlf: format === 'gemini' });
        assert.deepEqual(
          frames.slice(0, lines.length).map((frame) => frame.data),
          lines,
          `${rel}: payloads are not byte-exact`,
        );
        if (format === 'anthropic') {
          for (const frame of frames) assert.equal(frame.event, (JSON.parse(frame.data) as { type: string }).type);
        }
      }
    }
  });

  it('anthropic-sdk-typescript raw .txt streams carry matching event: lines', () => {
    for (const rel of atLeast(3, listFixtures('anthropic/anthropic-sdk-typescript', '.txt'), 'Anthropic SDK streams')) {
      const frames = assertSseJson(loadRawSse(rel), rel);
      for (const frame of frames) assert.equal(frame.event, (JSON.parse(frame.data) as { type: string }).type, rel);
    }
  });

  it('openai-dotnet records load; streaming entries join to the derived-sse bytes', () => {
    const files = listFixtures('openai/openai-dotnet', '.json');
    assert.equal(files.length, 11);
    for (const rel of files) {
      const { entries } = loadDotnetRecord(rel);
      assert.ok(entries.length > 0, rel);
      for (const entry of entries) {
        assert.ok(entry.requestUri.startsWith('https://api.openai.com/'), rel);
        assert.ok('x-request-id' in entry.responseHeaders, `${rel}: x-request-id`);
        if (entry.streaming) assertSseJson(entry.responseBody, rel, { done: true });
        else assert.doesNotThrow(() => JSON.parse(entry.responseBody.toString('utf8')), rel);
      }
    }
    const auth = loadDotnetRecord('openai/openai-dotnet/AuthFailure.json').entries[0];
    assert.equal(auth?.status, 401);
    for (const name of ['StreamingStructuredRefusalWorks', 'TokenLogProbabilitiesStreaming(True)']) {
      const entry = loadDotnetRecord(`openai/openai-dotnet/${name}.json`).entries[0];
      assert.ok(entry?.streaming);
      assert.ok(entry.responseBody.equals(readFixture(`derived-sse/openai__${name}.entry0.sse`)), name);
    }
  });

  it('VCR cassettes load; body.string streams match the derived-sse bytes', () => {
    const files = [
      ...listFixtures('openai/pydantic-ai', '.yaml'),
      ...listFixtures('anthropic/pydantic-ai', '.yaml'),
      ...listFixtures('gemini/pydantic-ai', '.yaml'),
    ];
    assert.equal(files.length, 24);
    for (const rel of files) {
      const { interactions } = loadCassette(rel);
      assert.ok(interactions.length > 0, rel);
      for (const { request, response } of interactions) {
        assert.match(request.uri, /^https:\/\//);
        if (response.streaming) assertSseJson(response.body, rel, { crlf: rel.startsWith('gemini/') });
        else assert.doesNotThrow(() => JSON.parse(response.body.toString('utf8')), rel);
      }
    }
    const derivedSse = listFixtures('derived-sse', '.sse').filter((rel) => !rel.includes('openai__'));
    for (const derived of atLeast(7, derivedSse, 'derived Anthropic and Gemini streams')) {
      const match = /derived-sse\/(anthropic|gemini)__(.+)\.interaction(\d+)\.sse$/.exec(derived);
      assert.ok(match, derived);
      const [, provider, name, index] = match;
      const interaction = loadCassette(`${provider}/pydantic-ai/${name}.yaml`).interactions[Number(index)];
      assert.ok(interaction?.response.body.equals(readFixture(derived)), `${derived} differs from its cassette`);
    }
  });

  it('js-genai recordings load; streams become CRLF data: frames, one per segment', () => {
    const files = listFixtures('gemini/js-genai', '.json');
    assert.equal(files.length, 16);
    for (const rel of files) {
      for (const { request, response } of loadJsGenaiRecording(rel).interactions) {
        assert.ok(isRecord(request.body), `${rel}: request body`);
        if (response.streaming) {
          const frames = assertSseJson(response.body, rel, { crlf: true });
          assert.equal(frames.length, response.segments.length, rel);
        } else {
          assert.doesNotThrow(() => JSON.parse(response.body.toString('utf8')), rel);
        }
      }
    }
    const error = loadJsGenaiRecording('gemini/js-genai/Chats_Tests_sendMessage_Send_message_stream_with_error.json');
    assert.equal(error.interactions[0]?.response.status, 404);
    assert.equal(error.interactions[0]?.response.streaming, false);
  });

  it('firebase mocks load with the status they imply', () => {
    const files = listFixtures('gemini/firebase-vertexai-sdk-test-data');
    assert.equal(files.length, 36);
    const expected: Record<string, number> = {
      'unary-failure-api-key.json': 400,
      'unary-failure-unknown-model.json': 404,
      'unary-failure-generativelanguage-api-not-enabled.json': 403,
      'unary-failure-quota-exceeded.json': 429,
      'unary-failure-iam-permission-denied.json': 403,
    };
    // Mocks whose last event is not terminated by a CRLF blank line (LF framing or a single trailing newline).
    const irregularFraming = new Set([
      'streaming-failure-prompt-blocked-safety.txt',
      'streaming-failure-prompt-blocked-safety-with-message.txt',
      'streaming-success-finish-message.txt',
      'streaming-failure-error-mid-stream.txt',
    ]);
    for (const rel of files) {
      const mock = loadFirebaseMock(rel);
      const name = rel.split('/').at(-1) ?? rel;
      assert.equal(mock.status, expected[name] ?? 200, rel);
      if (!mock.streaming) {
        assert.doesNotThrow(() => JSON.parse(mock.body.toString('utf8')), rel);
        continue;
      }
      const frames = splitSseFrames(mock.body).map(parseFrame);
      const midStreamError = name === 'streaming-failure-error-mid-stream.txt';
      // The mid-stream error mock ends with a bare JSON object that is not an SSE frame (see PROVENANCE.md).
      for (const frame of midStreamError ? frames.slice(0, -1) : frames)
        assert.doesNotThrow(() => JSON.parse(frame.data));
      const wellFramed = mock.body.toString('utf8').endsWith('\r\n\r\n');
      assert.equal(wellFramed, !irregularFraming.has(name), `${rel}: framing`);
    }
  });

  it('vercel-ai json bodies load (raw bytes or unwrapped reproduction records) with implied statuses', () => {
    const files = [
      ...listFixtures('openai/vercel-ai', '.json'),
      ...listFixtures('anthropic/vercel-ai', '.json'),
      ...listFixtures('gemini/vercel-ai', '.json'),
    ];
    for (const rel of atLeast(22, files, 'vercel-ai JSON bodies')) {
      const responses = loadVercelJson(rel);
      assert.ok(responses.length > 0, rel);
      for (const response of responses) assert.ok(isRecord(JSON.parse(response.body.toString('utf8'))), rel);
    }
    const status = (rel: string): number | undefined => loadVercelJson(rel)[0]?.status;
    assert.equal(status('openai/vercel-ai/reasoning-model-legacy-parameter-error.json'), 400);
    assert.equal(status('anthropic/vercel-ai/anthropic-issue-17366-error.json'), 400);
    assert.equal(status('gemini/vercel-ai/google-429-retry-info.json'), 429);
    assert.equal(status('openai/vercel-ai/openai-text.json'), 200);
    assert.equal(loadVercelJson('openai/vercel-ai/openai-chat-cached-input-tokens-11178.json').length, 2);
    assert.ok(
      readFixture('openai/vercel-ai/openai-text.json').equals(
        loadVercelJson('openai/vercel-ai/openai-text.json')[0]?.body ?? Buffer.alloc(0),
      ),
    );
  });
});
