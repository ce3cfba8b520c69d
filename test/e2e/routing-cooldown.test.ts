/**
 * Cooldowns (circuit breaker): a deployment that keeps failing gets no traffic until its cooldown
 * is over, then exactly one probe request; the probe's outcome closes or reopens the circuit.
 * Counted on the simulators, request by request.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { answer, counts, delayed, failure, type RoutingSetup, setup, streamFrames, USER } from './routing-support.ts';

const COOLDOWN_MS = 2000;
const CONFIG = `
router:
  cooldown: { failures: 2, windowMs: 10000, cooldownMs: ${COOLDOWN_MS} }
  retry: { attempts: 2, backoffMs: 10, maxBackoffMs: 20, maxRetryAfterMs: 1000 }
models:
  - name: smart
    strategy: priority
    deployments: [{ provider: a, model: up-a }, { provider: b, model: up-b }]
`;

describe('routing: cooldowns', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });
  const live = (): RoutingSetup => {
    assert.ok(env, 'setup() first');
    return env;
  };

  const ask = async () => {
    const { data, response } = await live()
      .client.chat.completions.create({ model: 'smart', messages: USER })
      .withResponse();
    return { content: data.choices[0]?.message.content, provider: response.headers.get('x-llmux-provider') };
  };

  /** Two failures on a (each request still answered by b): a's circuit opens. Returns when it opened. */
  async function tripPrimary(): Promise<number> {
    live().sims.a?.setDefault(failure(500, 'a is down'));
    live().sims.b?.setDefault(answer('from b'));
    assert.deepEqual(await ask(), { content: 'from b', provider: 'b' });
    assert.deepEqual(await ask(), { content: 'from b', provider: 'b' });
    const openedAt = Date.now();
    assert.deepEqual(counts(live().sims), { a: 2, b: 2 });
    return openedAt;
  }

  it('a cooling deployment receives no traffic until its probe; a successful probe brings it back', async () => {
    env = await setup(['a', 'b'], CONFIG);
    const openedAt = await tripPrimary();
    for (let i = 0; i < 3; i++) assert.equal((await ask()).provider, 'b');
    assert.ok(Date.now() - openedAt < COOLDOWN_MS - 100, 'the requests ran inside the cooldown');
    assert.deepEqual(counts(env.sims), { a: 2, b: 5 }, 'no traffic to a while it cools down');

    await sleep(openedAt + COOLDOWN_MS + 30 - Date.now());
    env.sims.a?.setDefault(answer('a is back'));
    assert.deepEqual(await ask(), { content: 'a is back', provider: 'a' }, 'the probe');
    assert.deepEqual(await ask(), { content: 'a is back', provider: 'a' }, 'closed again: a serves fully');
    assert.deepEqual(counts(env.sims), { a: 4, b: 5 });
  });

  it('a failed probe reopens the circuit for another cooldown', async () => {
    env = await setup(['a', 'b'], CONFIG);
    const openedAt = await tripPrimary();
    await sleep(openedAt + COOLDOWN_MS + 30 - Date.now());
    assert.equal((await ask()).provider, 'b', 'the probe on a failed, b answered');
    const reopenedAt = Date.now();
    assert.deepEqual(counts(env.sims), { a: 3, b: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await ask()).provider, 'b');
    assert.ok(Date.now() - reopenedAt < COOLDOWN_MS - 100, 'Date.now() - reopenedAt < COOLDOWN_MS - 100');
    assert.deepEqual(counts(env.sims), { a: 3, b: 6 }, 'no traffic to a after the failed probe');
  });

  it('half-open: exactly one probe at a time, concurrent requests go elsewhere', async () => {
    env = await setup(['a', 'b'], CONFIG);
    const openedAt = await tripPrimary();
    await sleep(openedAt + COOLDOWN_MS + 30 - Date.now());
    env.sims.a?.setDefault(delayed(1500, answer('slow probe ok')));
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask()));
    assert.equal(answers.filter((a) => a.provider === 'a').length, 1, 'one probe');
    assert.equal(answers.filter((a) => a.provider === 'b').length, 5);
    assert.deepEqual(counts(env.sims), { a: 3, b: 7 });
    env.sims.a?.setDefault(answer('a again'));
    assert.equal((await ask()).provider, 'a', 'the probe succeeded: closed');
  });

  it('a 429 takes the deployment out at once, for the retry-after the upstream gave', async () => {
    env = await setup(['a', 'b'], CONFIG);
    env.sims.a?.enqueue(failure(429, 'rate limited', { headers: { 'retry-after-ms': '2000' } }));
    env.sims.a?.setDefault(answer('a'));
    env.sims.b?.setDefault(answer('b'));
    const limitedAt = Date.now();
    assert.equal((await ask()).provider, 'b');
    assert.equal((await ask()).provider, 'b');
    assert.ok(Date.now() - limitedAt < 1900, 'Date.now() - limitedAt < 1900');
    assert.deepEqual(counts(env.sims), { a: 1, b: 2 });
    await sleep(limitedAt + 2050 - Date.now());
    assert.equal((await ask()).provider, 'a');
    assert.deepEqual(counts(env.sims), { a: 2, b: 2 });
  });

  it('a streaming probe brings the deployment back as soon as its response starts, not when it ends', async () => {
    env = await setup(['a', 'b'], CONFIG);
    const openedAt = await tripPrimary();
    await sleep(openedAt + COOLDOWN_MS + 30 - Date.now());
    env.sims.a?.setDefault({ kind: 'sse-events', events: streamFrames(['slow', ' probe', ' stream']), delayMs: 400 });
    const probe = await env.client.chat.completions.create({ model: 'smart', messages: USER, stream: true });
    const chunks = probe[Symbol.asyncIterator]();
    await chunks.next();
    assert.deepEqual(counts(env.sims), { a: 3, b: 2 });
    env.sims.a?.setDefault(answer('a serves again'));
    assert.deepEqual(await ask(), { content: 'a serves again', provider: 'a' }, 'closed while the probe stream runs');
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {}
    assert.deepEqual(counts(env.sims), { a: 4, b: 2 });
  });
});
