/**
 * Streams and aborts: retries only before the first byte, a well-formed error event after it (with
 * the usage seen so far recorded), and a client that goes away cancels the upstream at once.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { APIError, APIUserAbortError } from 'openai';
import {
  chunkFrame,
  counts,
  failure,
  logRow,
  type RoutingSetup,
  rejection,
  setup,
  streamFrames,
  USER,
} from './routing-support.ts';

const CONFIG = `
router:
  cooldown: { failures: 100, windowMs: 60000, cooldownMs: 5000 }
  retry: { attempts: 2, backoffMs: 10, maxBackoffMs: 20, maxRetryAfterMs: 5000 }
  timeouts: { connectMs: 500, firstByteMs: 300, idleMs: 250, totalMs: 10000 }
models:
  - name: smart
    strategy: priority
    deployments: [{ provider: a, model: up-a }, { provider: b, model: up-b }]
  - name: solo
    deployments: [{ provider: a, model: up-a }]
`;

describe('routing: streams and aborts', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });
  const live = (): RoutingSetup => {
    assert.ok(env, 'setup() first');
    return env;
  };

  async function readStream(model: string) {
    const { data: stream, response } = await live()
      .client.chat.completions.create({ model, messages: USER, stream: true })
      .withResponse();
    let content = '';
    let error: unknown;
    try {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    } catch (thrown) {
      error = thrown;
    }
    return { content, error, response };
  }

  it('a stream that fails before its first byte is retried on the next deployment', async () => {
    env = await setup(['a', 'b'], CONFIG);
    env.sims.a?.enqueue({ kind: 'sse-events', events: [], thenError: 'reset' });
    env.sims.b?.enqueue({ kind: 'sse-events', events: streamFrames(['Hello', ' from', ' b']) });
    const { content, error, response } = await readStream('smart');
    assert.equal(error, undefined);
    assert.equal(content, 'Hello from b');
    assert.equal(response.headers.get('x-llmux-provider'), 'b');
    assert.equal(response.headers.get('x-llmux-attempts'), '2');
    assert.deepEqual(counts(env.sims), { a: 1, b: 1 });
  });

  it('stall mid-stream: the idle timeout ends the stream with an OpenAI error event; no retry; partial usage recorded', async () => {
    env = await setup(['a', 'b'], CONFIG);
    env.sims.a?.enqueue({
      kind: 'sse-events',
      events: [
        chunkFrame({ role: 'assistant', content: 'Hel' }, null, {
          prompt_tokens: 7,
          completion_tokens: 1,
          total_tokens: 8,
        }),
        chunkFrame({ content: 'lo' }, null, { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 }),
      ],
      thenStallMs: Number.POSITIVE_INFINITY,
    });
    const started = performance.now();
    const { content, error, response } = await readStream('smart');
    const elapsed = performance.now() - started;
    assert.equal(content, 'Hello', 'the partial content reached the client');
    assert.ok(error instanceof APIError, `the SDK stream throws (${String(error)})`);
    assert.match(error.message, /idle for 250 ms/);
    assert.equal(error.code, 'upstream_timeout');
    assert.ok(elapsed >= 240 && elapsed < 4000, `took ${Math.round(elapsed)} ms`);
    assert.deepEqual(counts(env.sims), { a: 1, b: 0 }, 'no retry after the first byte');
    await env.sims.a?.waitForClose(0);
    assert.equal(env.sims.a?.requests[0]?.closedEarly, true, 'llmux dropped the stalled upstream');
    const row = await logRow(env.llmux, response.headers.get('x-request-id'));
    assert.equal(row.errorCode, 'upstream_timeout');
    assert.equal(row.stream, true);
    assert.equal(row.inputTokens, 7, 'usage sniffed before the failure');
    assert.equal(row.outputTokens, 2);
  });

  it('a connection reset mid-stream also ends with an error event, never a silent truncation', async () => {
    env = await setup(['a', 'b'], CONFIG);
    env.sims.a?.enqueue({
      kind: 'sse-events',
      events: [chunkFrame({ role: 'assistant', content: 'partial' })],
      thenError: 'reset',
    });
    const { content, error } = await readStream('smart');
    assert.equal(content, 'partial');
    assert.ok(error instanceof APIError, String(error));
    assert.match(error.message, /upstream connection closed mid-response/);
    assert.deepEqual(counts(env.sims), { a: 1, b: 0 });
  });

  it('client abort while llmux waits for the upstream headers cancels the upstream request', async () => {
    env = await setup(['a', 'b'], CONFIG.replace('firstByteMs: 300', 'firstByteMs: 5000'));
    env.sims.a?.enqueue({ kind: 'stall-before-headers' });
    const controller = new AbortController();
    const pending = rejection(
      env.client.chat.completions.create({ model: 'smart', messages: USER }, { signal: controller.signal }),
    );
    await env.sims.a?.waitForRequests(1);
    const abortedAt = performance.now();
    controller.abort();
    assert.ok((await pending) instanceof APIUserAbortError, '(await pending) instanceof APIUserAbortError');
    const upstream = await env.sims.a?.waitForClose(0, 1000);
    assert.equal(upstream?.closedEarly, true);
    assert.ok(performance.now() - abortedAt < 1500, 'cancelled at once');
    await sleep(100);
    assert.deepEqual(counts(env.sims), { a: 1, b: 0 }, 'no retry for a client that left');
  });

  it('client abort during a retry wait: no further upstream call', async () => {
    env = await setup(['a', 'b'], CONFIG);
    env.sims.a?.enqueue(failure(503, 'busy', { headers: { 'retry-after': '1' } }));
    const controller = new AbortController();
    const pending = rejection(
      env.client.chat.completions.create({ model: 'solo', messages: USER }, { signal: controller.signal }),
    );
    await env.sims.a?.waitForRequests(1);
    await sleep(150);
    controller.abort();
    assert.ok((await pending) instanceof APIUserAbortError, '(await pending) instanceof APIUserAbortError');
    await sleep(1200);
    assert.deepEqual(counts(env.sims), { a: 1, b: 0 });
    await env.llmux.app.store.requestLog.flush();
    const [row] = await env.llmux.app.store.listRequests({});
    assert.equal(row?.status, 499);
    assert.equal(row?.attempts, 1);
  });
});
