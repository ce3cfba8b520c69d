/**
 * The upstream's `x-should-retry` decides over the status, as in openai-node: a 400 that says
 * "retry" is retried, a 503 that says "don't" is not (official openai SDK, maxRetries 0).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { InternalServerError } from 'openai';
import { answer, counts, failure, logRow, type RoutingSetup, rejection, setup, USER } from './routing-support.ts';

const CONFIG = `
router:
  cooldown: { failures: 100, windowMs: 60000, cooldownMs: 5000 }
  retry: { attempts: 3, backoffMs: 20, maxBackoffMs: 50, maxRetryAfterMs: 3000 }
models:
  - name: smart
    deployments: [{ provider: a, model: up-a }]
`;

describe('upstream retry signals: x-should-retry', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('400 with x-should-retry: true is retried, and the retry answers', async () => {
    env = await setup(['a'], CONFIG);
    env.sims.a?.enqueue(
      failure(400, 'try me again', { headers: { 'x-should-retry': 'true' } }),
      answer('second time lucky'),
    );
    const { data, response } = await env.client.chat.completions
      .create({ model: 'smart', messages: USER })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'second time lucky');
    assert.equal(response.headers.get('x-llmux-attempts'), '2');
    assert.deepEqual(counts(env.sims), { a: 2 });
  });

  it('503 with x-should-retry: false is not retried: the client gets it at once', async () => {
    env = await setup(['a'], CONFIG);
    env.sims.a?.enqueue(
      failure(503, 'do not bother', { headers: { 'x-should-retry': 'false' } }),
      answer('never asked for'),
    );
    const error = await rejection(env.client.chat.completions.create({ model: 'smart', messages: USER }));
    assert.ok(error instanceof InternalServerError, 'error instanceof InternalServerError');
    assert.equal(error.status, 503);
    assert.match(error.message, /do not bother/);
    assert.deepEqual(counts(env.sims), { a: 1 });
    const row = await logRow(env.llmux, error.requestID);
    assert.equal(row.attempts, 1);
  });
});
