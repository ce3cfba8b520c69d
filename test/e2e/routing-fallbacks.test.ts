/** Fallbacks across public models, and what the client gets when nothing can answer. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { APIError, BadRequestError } from 'openai';
import { answer, counts, failure, logRow, type RoutingSetup, rejection, setup, USER } from './routing-support.ts';

const CONFIG = `
router:
  cooldown: { failures: 100, windowMs: 60000, cooldownMs: 5000 }
  retry: { attempts: 2, backoffMs: 10, maxBackoffMs: 20, maxRetryAfterMs: 1000 }
  timeouts: { connectMs: 500, firstByteMs: 500, idleMs: 500, totalMs: 5000 }
models:
  - name: smart
    strategy: priority
    fallbacks: [cheap, backup]
    deployments: [{ provider: a, model: up-a }, { provider: b, model: up-b }]
  - name: cheap
    deployments: [{ provider: c, model: up-c }]
  - name: backup
    deployments: [{ provider: d, model: up-d }]
`;

describe('routing: fallbacks', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('every deployment of the model failing: the fallback model answers, x-llmux-fallback says so', async () => {
    env = await setup(['a', 'b', 'c', 'd'], CONFIG);
    env.sims.a?.enqueue(failure(500, 'a down'));
    env.sims.b?.enqueue(failure(502, 'b down'));
    env.sims.c?.enqueue(answer('the cheap model answers'));
    const { data, response } = await env.client.chat.completions
      .create({ model: 'smart', messages: USER })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'the cheap model answers');
    assert.equal(response.headers.get('x-llmux-fallback'), 'smart, cheap');
    assert.equal(response.headers.get('x-llmux-provider'), 'c');
    assert.equal(response.headers.get('x-llmux-model'), 'up-c');
    assert.equal(response.headers.get('x-llmux-attempts'), '3');
    assert.deepEqual(counts(env.sims), { a: 1, b: 1, c: 1, d: 0 });
    const upstreamBody = env.sims.c?.requests[0]?.json as { model?: string } | undefined;
    assert.equal(upstreamBody?.model, 'up-c');
    const row = await logRow(env.llmux, response.headers.get('x-request-id'));
    assert.equal(row.publicModel, 'smart');
    assert.equal(row.fallbackModels, 'smart,cheap');
    assert.equal(row.attempts, 3);
    assert.equal(row.provider, 'c');
  });

  it('fallbacks are tried in order; when all fail the client gets the last upstream error', async () => {
    env = await setup(['a', 'b', 'c', 'd'], CONFIG);
    env.sims.a?.setDefault(failure(500, 'a down'));
    env.sims.b?.setDefault(failure(500, 'b down'));
    env.sims.c?.setDefault(failure(503, 'c down'));
    env.sims.d?.setDefault(failure(429, 'd is rate limited', { headers: { 'retry-after': '20' } }));
    const error = await rejection(env.client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(error instanceof APIError, 'error instanceof APIError');
    assert.equal(error.status, 429);
    assert.match(error.message, /d is rate limited/);
    assert.equal(error.headers?.get('retry-after'), '20');
    // retry.attempts is per model: smart 2 (a, b), cheap 2 (c twice), backup 1 (its 429 hint is above the cap).
    assert.deepEqual(counts(env.sims), { a: 1, b: 1, c: 2, d: 1 });
    const row = await logRow(env.llmux, error.requestID);
    assert.equal(row.fallbackModels, 'smart,cheap,backup');
    assert.equal(row.attempts, 5);
    assert.equal(row.status, 429);
  });

  for (const code of ['context_length_exceeded', 'content_policy_violation']) {
    it(`${code}: straight to the fallback model, no retry on the same model`, async () => {
      env = await setup(['a', 'b', 'c', 'd'], CONFIG);
      env.sims.a?.enqueue(failure(400, `rejected: ${code}`, { code }));
      env.sims.c?.enqueue(answer('the fallback has room'));
      const { data, response } = await env.client.chat.completions
        .create({ model: 'smart', messages: USER })
        .withResponse();
      assert.equal(data.choices[0]?.message.content, 'the fallback has room');
      assert.equal(response.headers.get('x-llmux-fallback'), 'smart, cheap');
      assert.deepEqual(counts(env.sims), { a: 1, b: 0, c: 1, d: 0 });
    });
  }

  it('context_length_exceeded with no fallback left: the client gets that 400 as is', async () => {
    env = await setup(['a', 'b', 'c', 'd'], CONFIG);
    env.sims.a?.enqueue(failure(400, 'too long for a', { code: 'context_length_exceeded' }));
    env.sims.c?.enqueue(failure(400, 'too long for c', { code: 'context_length_exceeded' }));
    env.sims.d?.enqueue(failure(400, 'too long for d', { code: 'context_length_exceeded' }));
    const error = await rejection(env.client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(error instanceof BadRequestError, 'error instanceof BadRequestError');
    assert.equal(error.code, 'context_length_exceeded');
    assert.match(error.message, /too long for d/);
    assert.deepEqual(counts(env.sims), { a: 1, b: 0, c: 1, d: 1 });
  });

  it('a model whose deployments all cool down is skipped for its fallback without an upstream call', async () => {
    env = await setup(['a', 'b', 'c', 'd'], CONFIG.replace('failures: 100', 'failures: 1'));
    env.sims.a?.enqueue(failure(500, 'a down'));
    env.sims.b?.enqueue(failure(500, 'b down'));
    env.sims.c?.setDefault(answer('cheap'));
    await env.client.chat.completions.create({ model: 'smart', messages: USER });
    assert.deepEqual(counts(env.sims), { a: 1, b: 1, c: 1, d: 0 });
    const { response } = await env.client.chat.completions.create({ model: 'smart', messages: USER }).withResponse();
    assert.equal(response.headers.get('x-llmux-fallback'), 'smart, cheap');
    assert.equal(response.headers.get('x-llmux-attempts'), '1');
    assert.deepEqual(counts(env.sims), { a: 1, b: 1, c: 2, d: 0 }, 'smart cooling: no traffic to a or b');
  });

  it('all deployments cooling and no fallback: 503 no_deployment_available with retry-after = the earliest cooldown end', async () => {
    env = await setup(
      ['a'],
      `
router:
  cooldown: { failures: 1, windowMs: 60000, cooldownMs: 4000 }
  retry: { attempts: 1, backoffMs: 10, maxBackoffMs: 20, maxRetryAfterMs: 1000 }
models:
  - name: solo
    deployments: [{ provider: a, model: up-a }]
`,
    );
    env.sims.a?.enqueue(failure(500, 'a down'));
    const first = await rejection(env.client.chat.completions.create({ model: 'solo', messages: USER }));
    assert.ok(first instanceof APIError, 'first instanceof APIError');
    assert.equal(first.status, 500, 'the request that failed gets the upstream error');
    const error = await rejection(env.client.chat.completions.create({ model: 'solo', messages: USER }));
    assert.ok(error instanceof APIError, 'error instanceof APIError');
    assert.equal(error.status, 503);
    assert.equal(error.code, 'no_deployment_available');
    assert.match(error.message, /cooling down/);
    const retryAfter = Number(error.headers?.get('retry-after'));
    assert.ok(retryAfter >= 3 && retryAfter <= 4, `retry-after ${retryAfter}`);
    assert.deepEqual(counts(env.sims), { a: 1 });
    const row = await logRow(env.llmux, error.requestID);
    assert.equal(row.status, 503);
    assert.equal(row.attempts, 0);
    assert.equal(row.errorCode, 'no_deployment_available');
  });
});
