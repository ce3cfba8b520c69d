import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { anthropicSseStep } from './anthropic-replay.ts';
import { loadChunksAsSse, loadRawSse, readFixture } from './fixtures.ts';
import { geminiJsonStep, geminiSseStep } from './gemini-replay.ts';
import { dotnetStep, openaiJsonStep, openaiSseStep } from './openai-replay.ts';
import { splitSseFrames, toEventsStep } from './replay-common.ts';
import { type Simulator, startUpstreamSimulator } from './upstream-simulator.ts';

const openaiBin = 'openai/openai-python/e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd.bin';

async function post(sim: Simulator, path: string, body: unknown = { hello: 'world' }): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
  });
}

/** Reads a streaming body chunk by chunk, noting when each chunk arrived. */
async function readChunks(sim: Simulator, path: string): Promise<{ chunks: Buffer[]; times: number[] }> {
  const started = Date.now();
  const response = await request(`${sim.url}${path}`, { method: 'POST', body: '{}' });
  const chunks: Buffer[] = [];
  const times: number[] = [];
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk as Uint8Array));
    times.push(Date.now() - started);
  }
  return { chunks, times };
}

describe('upstream simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startUpstreamSimulator();
  });
  afterEach(() => sim.reset());
  after(() => sim.close());

  it('listens on 127.0.0.1 and records every request fully', async () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    sim.enqueue({ kind: 'json', body: { ok: true } });
    const response = await post(sim, '/v1/chat/completions?x=1', { model: 'gpt-4o', messages: [] });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), { ok: true });
    const [recorded] = sim.requests;
    assert.equal(recorded?.method, 'POST');
    assert.equal(recorded?.path, '/v1/chat/completions?x=1');
    assert.equal(recorded?.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(recorded?.json, { model: 'gpt-4o', messages: [] });
    assert.equal(recorded?.body, '{"model":"gpt-4o","messages":[]}');
    assert.equal((await sim.waitForClose(0)).closedEarly, false);
    assert.equal(sim.inFlight(), 0);
  });

  it('plays scripted steps in FIFO order, then the default', async () => {
    sim.enqueue({ kind: 'json', status: 201, body: 'first' }, { kind: 'json', status: 202, body: 'second' });
    assert.equal(sim.pendingSteps(), 2);
    const first = await post(sim, '/a');
    const second = await post(sim, '/b');
    const third = await post(sim, '/c');
    assert.deepEqual([first.status, await first.text()], [201, 'first']);
    assert.deepEqual([second.status, await second.text()], [202, 'second']);
    assert.equal(third.status, 500);
    assert.match(await third.text(), /no scripted response for POST \/c/);
    assert.deepEqual(
      sim.requests.map((req) => req.path),
      ['/a', '/b', '/c'],
    );
    sim.setDefault((req) => ({ kind: 'json', body: { echo: req.json } }));
    assert.deepEqual(await (await post(sim, '/d', [1])).json(), { echo: [1] });
  });

  it('routes by longest path prefix ahead of the queue', async () => {
    sim.route('/v1beta/models/', () => ({ kind: 'json', body: 'generic' }));
    sim.route('/v1beta/models/gemini-2.5-flash', (req) => ({ kind: 'json', body: `flash ${req.method}` }));
    sim.enqueue({ kind: 'json', body: 'queued' });
    assert.equal(await (await post(sim, '/v1beta/models/gemini-2.5-flash:generateContent')).text(), 'flash POST');
    assert.equal(await (await post(sim, '/v1beta/models/other:generateContent')).text(), 'generic');
    assert.equal(await (await post(sim, '/v1/messages')).text(), 'queued');
  });

  it('replays SSE fixtures byte-exact', async () => {
    sim.enqueue(
      openaiSseStep(openaiBin),
      anthropicSseStep('anthropic/vercel-ai/anthropic-text.chunks.txt'),
      geminiSseStep('gemini/pydantic-ai/test_google_model_stream.yaml'),
    );
    const openai = await post(sim, '/v1/chat/completions');
    assert.equal(openai.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.ok(Buffer.from(await openai.arrayBuffer()).equals(loadRawSse(openaiBin)));
    const anthropic = await post(sim, '/v1/messages');
    const expected = loadChunksAsSse('anthropic/vercel-ai/anthropic-text.chunks.txt', 'anthropic');
    assert.ok(Buffer.from(await anthropic.arrayBuffer()).equals(expected));
    const gemini = await post(sim, '/v1beta/models/gemini-1.5-flash:streamGenerateContent?alt=sse');
    const derived = readFixture('derived-sse/gemini__test_google_model_stream.interaction0.sse');
    assert.ok(Buffer.from(await gemini.arrayBuffer()).equals(derived));
  });

  it('replays JSON fixtures with recorded status and headers', async () => {
    sim.enqueue(
      dotnetStep('openai/openai-dotnet/AuthFailure.json'),
      openaiJsonStep('openai/vercel-ai/openai-text.json'),
      geminiJsonStep('gemini/firebase-vertexai-sdk-test-data/googleai/unary-failure-api-key.json'),
    );
    const auth = await post(sim, '/v1/chat/completions');
    assert.equal(auth.status, 401);
    assert.equal(auth.headers.get('x-request-id'), 'Sanitized');
    assert.equal(auth.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(((await auth.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    const text = await post(sim, '/v1/chat/completions');
    assert.ok(Buffer.from(await text.arrayBuffer()).equals(readFixture('openai/vercel-ai/openai-text.json')));
    const apiKey = await post(sim, '/v1beta/models/x:generateContent');
    assert.equal(apiKey.status, 400);
    await apiKey.arrayBuffer();
  });

  it('splits SSE bodies into delayed chunks', async () => {
    const body = Buffer.from('data: {"a":1}\n\ndata: {"b":2}\n\ndata: {"c":3}\n\ndata: [DONE]\n\n'); // 62 bytes
    sim.enqueue({ kind: 'sse', body, chunkBytes: 16, chunkDelayMs: 40 });
    const { chunks, times } = await readChunks(sim, '/stream');
    assert.ok(Buffer.concat(chunks).equals(body));
    assert.ok(chunks.length >= 3, `expected several chunks, got ${chunks.length}`);
    // 4 writes with 3 pauses of 40ms between them (timers may fire a millisecond early).
    assert.ok((times.at(-1) ?? 0) - (times[0] ?? 0) >= 100, `chunks arrived too fast: ${times.join(',')}`);
  });

  it('writes sse-events one by one and then resets or closes the socket', async () => {
    const frames = splitSseFrames(loadRawSse(openaiBin));
    for (const thenError of ['reset', 'close'] as const) {
      sim.enqueue(toEventsStep(openaiSseStep(openaiBin), { take: 2, delayMs: 5, thenError }));
      const response = await request(`${sim.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.equal(response.statusCode, 200);
      const received: Buffer[] = [];
      await assert.rejects(async () => {
        for await (const chunk of response.body) received.push(Buffer.from(chunk as Uint8Array));
      }, thenError);
      assert.equal(Buffer.concat(received).toString('utf8'), frames.slice(0, 2).join(''));
      assert.equal((await sim.waitForClose()).closedEarly, false, 'a simulator-made failure is not a client abort');
    }
  });

  it('destroys the socket without a response on reset', async () => {
    sim.enqueue({ kind: 'reset' });
    await assert.rejects(post(sim, '/v1/messages', { x: 1 }));
    assert.deepEqual((await sim.waitForRequests(1))[0]?.json, { x: 1 });
  });

  it('stalls before headers until the client gives up, and notices the abort', async () => {
    sim.enqueue({ kind: 'stall-before-headers' });
    const started = Date.now();
    await assert.rejects(
      fetch(`${sim.url}/slow`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(150) }),
      /abort|timeout/i,
    );
    assert.ok(Date.now() - started >= 140);
    const record = await sim.waitForClose(0);
    assert.equal(record.closedEarly, true);
    assert.equal(sim.inFlight(), 0);
  });

  it('answers after a finite stall or delay', async () => {
    sim.enqueue(
      { kind: 'stall-before-headers', ms: 50 },
      // biome-ignore lint/suspicious/noThenProperty: Step's `then` is a Step object, never callable, so not a thenable.
      { kind: 'delay', ms: 50, then: { kind: 'json', body: 'late' } },
    );
    const stalled = await post(sim, '/a');
    assert.equal(stalled.status, 504);
    await stalled.arrayBuffer();
    const started = Date.now();
    assert.equal(await (await post(sim, '/b')).text(), 'late');
    assert.ok(Date.now() - started >= 45);
  });

  it('flags closedEarly when the client aborts mid-stream', async () => {
    sim.enqueue({ kind: 'sse-events', events: ['data: {"n":1}\n\n'], thenStallMs: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const response = await fetch(`${sim.url}/stream`, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    assert.equal(Buffer.from(first?.value ?? new Uint8Array()).toString('utf8'), 'data: {"n":1}\n\n');
    assert.equal(sim.inFlight(), 1);
    controller.abort();
    const record = await sim.waitForClose(0);
    assert.equal(record.closedEarly, true);
    assert.equal(sim.inFlight(), 0);
  });

  it('flags closedEarly when the client aborts a slow chunked replay', async () => {
    sim.enqueue(openaiSseStep(openaiBin, { chunkBytes: 64, chunkDelayMs: 20 }));
    const controller = new AbortController();
    const response = await fetch(`${sim.url}/stream`, { method: 'POST', body: '{}', signal: controller.signal });
    await response.body?.getReader().read();
    controller.abort();
    assert.equal((await sim.waitForClose(0)).closedEarly, true);
  });

  it('reports a throwing route handler as a 500', async () => {
    sim.route('/boom', () => {
      throw new Error('handler exploded');
    });
    const response = await post(sim, '/boom');
    assert.equal(response.status, 500);
    assert.match(await response.text(), /handler exploded/);
  });

  it('sends malformed bodies as-is', async () => {
    sim.enqueue({ kind: 'malformed', body: '{"id":"chatcmpl-1","choices":[' });
    const response = await post(sim, '/v1/chat/completions');
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(await response.text(), '{"id":"chatcmpl-1","choices":[');
  });
});

describe('upstream simulator close()', () => {
  it('destroys lingering connections so tests never hang', async () => {
    const sim = await startUpstreamSimulator({ default: { kind: 'stall-before-headers' } });
    const pending = fetch(`${sim.url}/stall`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    await sim.waitForRequests(1);
    const started = Date.now();
    await sim.close();
    assert.ok(Date.now() - started < 1000);
    assert.ok((await pending) instanceof Error);
  });
});
