/**
 * Retries with the official openai SDK (maxRetries 0, so only llmux retries) against scripted
 * upstream simulators: what is retried, where the retry goes, how long llmux waits.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { APIError, BadRequestError, InternalServerError } from 'openai';
import {
  answer,
  counts,
  failure,
  logRow,
  type RoutingSetup,
  rejection,
  setup,
  timed,
  USER,
} from './routing-support.ts';

const ROUTER = `
router:
  cooldown: { failures: 100, windowMs: 60000, cooldownMs: 5000 }
  retry: { attempts: 3, backoffMs: 20, maxBackoffMs: 50, maxRetryAfterMs: 3000 }
  timeouts: { connectMs: 500, firstByteMs: 250, idleMs: 250, totalMs: 5000 }
`;
const single = (attempts = 3) => `${ROUTER}
models:
  - name: smart
    retry: { attempts: ${attempts} }
    deployments: [{ provider: a, model: up-a }]
`;
const pair = `${ROUTER}
models:
  - name: smart
    strategy: priority
    retry: { attempts: 2 }
    deployments: [{ provider: a, model: up-a }, { provider: b, model: up-b }]
`;

describe('routing: retries', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });
  const live = (): RoutingSetup => {
    assert.ok(env, 'setup() first');
    return env;
  };

  it('500 then success: exactly two upstream calls, the answer, x-llmux-attempts 2', async () => {
    env = await setup(['a'], single());
    env.sims.a?.enqueue(failure(500, 'boom'), answer('second time lucky'));
    const { data, response } = await env.client.chat.completions
      .create({ model: 'smart', messages: USER })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'second time lucky');
    assert.equal(response.headers.get('x-llmux-attempts'), '2');
    assert.equal(response.headers.get('x-llmux-provider'), 'a');
    assert.equal(response.headers.get('x-llmux-model'), 'up-a');
    assert.equal(response.headers.get('x-llmux-fallback'), null);
    assert.deepEqual(counts(env.sims), { a: 2 });
    const row = await logRow(env.llmux, response.headers.get('x-request-id'));
    assert.equal(row.status, 200);
    assert.equal(row.attempts, 2);
    assert.equal(row.outputTokens, 3);
  });

  it('429 with retry-after: 1 on a single deployment: waits about a second, then succeeds', async () => {
    env = await setup(['a'], single());
    env.sims.a?.enqueue(failure(429, 'slow down', { headers: { 'retry-after': '1' } }), answer('after the wait'));
    const { ms, value } = await timed(() => live().client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.equal(value.choices[0]?.message.content, 'after the wait');
    assert.ok(ms >= 950 && ms < 2500, `took ${Math.round(ms)} ms`);
    assert.deepEqual(counts(env.sims), { a: 2 });
    // The retry was the half-open probe and it succeeded: the deployment serves at once again.
    env.sims.a?.enqueue(answer('right away'));
    const next = await timed(() => live().client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.equal(next.value.choices[0]?.message.content, 'right away');
    assert.ok(next.ms < 900, `took ${Math.round(next.ms)} ms`);
  });

  it('retry-after-ms is honoured with millisecond precision', async () => {
    env = await setup(['a'], single());
    env.sims.a?.enqueue(failure(503, 'busy', { headers: { 'retry-after-ms': '300' } }), answer('ok'));
    const { ms } = await timed(() => live().client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(ms >= 290 && ms < 1500, `took ${Math.round(ms)} ms`);
    assert.deepEqual(counts(env.sims), { a: 2 });
  });

  it('429 with retry-after: 1 and another deployment: moves there at once, and the first cools down', async () => {
    env = await setup(['a', 'b'], pair);
    env.sims.a?.enqueue(failure(429, 'slow down', { headers: { 'retry-after': '1' } }));
    env.sims.b?.setDefault(answer('from b'));
    const { ms, value } = await timed(() =>
      live().client.chat.completions.create({ model: 'smart', messages: USER }).withResponse(),
    );
    assert.equal(value.data.choices[0]?.message.content, 'from b');
    assert.equal(value.response.headers.get('x-llmux-provider'), 'b');
    assert.equal(value.response.headers.get('x-llmux-attempts'), '2');
    assert.ok(ms < 900, `no waiting when switching deployments: took ${Math.round(ms)} ms`);
    await env.client.chat.completions.create({ model: 'smart', messages: USER });
    assert.deepEqual(counts(env.sims), { a: 1, b: 2 }, 'a cools down after its 429');
  });

  it('connection reset before headers is retried', async () => {
    env = await setup(['a'], single());
    env.sims.a?.enqueue({ kind: 'reset' }, answer('reconnected'));
    const response = await env.client.chat.completions.create({ model: 'smart', messages: USER });
    assert.equal(response.choices[0]?.message.content, 'reconnected');
    assert.deepEqual(counts(env.sims), { a: 2 });
  });

  it('stall before headers: the first-byte timeout aborts it and the retry answers', async () => {
    env = await setup(['a'], single());
    env.sims.a?.enqueue({ kind: 'stall-before-headers' }, answer('not stalled'));
    const { ms, value } = await timed(() => live().client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.equal(value.choices[0]?.message.content, 'not stalled');
    assert.ok(ms >= 240 && ms < 3000, `took ${Math.round(ms)} ms`);
    assert.deepEqual(counts(env.sims), { a: 2 });
    assert.equal(env.sims.a?.requests[0]?.closedEarly, true, 'llmux closed the stalled request');
  });

  it('stall before headers with no tries left: 504 upstream_timeout naming the timeout', async () => {
    env = await setup(['a'], single(2));
    env.sims.a?.setDefault({ kind: 'stall-before-headers' });
    const error = await rejection(env.client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(error instanceof APIError, 'error instanceof APIError');
    assert.equal(error.status, 504);
    assert.equal(error.code, 'upstream_timeout');
    assert.match(error.message, /no response headers within 250 ms/);
    assert.deepEqual(counts(env.sims), { a: 2 });
    const row = await logRow(env.llmux, error.requestID);
    assert.equal(row.status, 504);
    assert.equal(row.errorCode, 'upstream_timeout');
    assert.equal(row.attempts, 2);
  });

  it('a malformed JSON body from the upstream is retried', async () => {
    env = await setup(['a'], single());
    env.sims.a?.enqueue({ kind: 'malformed', body: '{"id": "chatcmpl-1", "choices": [' }, answer('well formed'));
    const response = await env.client.chat.completions.create({ model: 'smart', messages: USER });
    assert.equal(response.choices[0]?.message.content, 'well formed');
    assert.deepEqual(counts(env.sims), { a: 2 });
  });

  it('a client mistake (400) is returned as is, without a retry or another deployment', async () => {
    env = await setup(['a', 'b'], pair);
    env.sims.a?.enqueue(failure(400, "Invalid value for 'temperature'"));
    const error = await rejection(env.client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(error instanceof BadRequestError, 'error instanceof BadRequestError');
    assert.match(error.message, /Invalid value for 'temperature'/);
    assert.deepEqual(counts(env.sims), { a: 1, b: 0 });
  });

  it('every deployment failing: the client gets the last upstream error with its status', async () => {
    env = await setup(['a', 'b'], pair);
    env.sims.a?.enqueue(failure(500, 'a is broken'));
    env.sims.b?.enqueue(failure(503, 'b is overloaded'));
    const error = await rejection(env.client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(error instanceof InternalServerError, 'error instanceof InternalServerError');
    assert.equal(error.status, 503);
    assert.match(error.message, /b is overloaded/);
    assert.deepEqual(counts(env.sims), { a: 1, b: 1 });
    const row = await logRow(env.llmux, error.requestID);
    assert.equal(row.attempts, 2);
    assert.equal(row.provider, 'b');
  });

  it('retries go to another deployment first, and wait only before retrying one that failed', async () => {
    env = await setup(
      ['a', 'b'],
      `${ROUTER}
models:
  - name: smart
    strategy: priority
    retry: { attempts: 3, backoffMs: 300, maxBackoffMs: 300 }
    deployments: [{ provider: a, model: up-a }, { provider: b, model: up-b }]
`,
    );
    env.sims.a?.enqueue(failure(500, 'a once'), answer('a at last'));
    env.sims.b?.enqueue(failure(502, 'b once'));
    const { ms, value } = await timed(() => live().client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.equal(value.choices[0]?.message.content, 'a at last');
    assert.deepEqual(counts(env.sims), { a: 2, b: 1 });
    assert.ok(ms >= 220 && ms < 3000, `one backoff (225-300 ms) before a again: took ${Math.round(ms)} ms`);
  });
});
