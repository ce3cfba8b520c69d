/** Load-balancing strategies seen from the upstreams: who gets how many requests. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { answer, counts, delayed, type RoutingSetup, setup, USER } from './routing-support.ts';

const models = (strategy: string, deployments: string) => `
models:
  - name: smart
    strategy: ${strategy}
    deployments: ${deployments}
`;

describe('routing: strategies', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });
  const live = (): RoutingSetup => {
    assert.ok(env, 'setup() first');
    return env;
  };

  const ask = () => live().client.chat.completions.create({ model: 'smart', messages: USER });

  /** Runs `total` requests, `concurrency` at a time. */
  async function load(total: number, concurrency: number): Promise<void> {
    let started = 0;
    const worker = async () => {
      while (started < total) {
        started++;
        await ask();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  it('weighted: 3:1 weights over 240 requests land within tolerance; weight 0 is standby only', async () => {
    env = await setup(
      ['a', 'b', 'c'],
      models(
        'weighted',
        '[{ provider: a, model: a, weight: 3 }, { provider: b, model: b, weight: 1 }, { provider: c, model: c, weight: 0 }]',
      ),
    );
    for (const sim of Object.values(env.sims)) sim.setDefault(answer('ok'));
    await load(240, 8);
    const seen = counts(env.sims);
    // Binomial(240, 0.75): sd ≈ 6.7; ±30 is 4.5 sd. (The planner unit test checks 20 000 plans within 1.5 %.)
    assert.ok(Math.abs((seen.a ?? 0) - 180) <= 30, JSON.stringify(seen));
    assert.equal((seen.a ?? 0) + (seen.b ?? 0), 240);
    assert.equal(seen.c, 0);
  });

  it('priority: the lower tier only serves while the higher one is cooling down', async () => {
    env = await setup(
      ['a', 'b'],
      // failureRate 0: one failed request opens the circuit even after a's 20 successes in the
      // window (with the default 0.5 it would take as many failed requests as successes).
      `
router: { cooldown: { failures: 1, failureRate: 0, windowMs: 10000, cooldownMs: 1500 } }
${models('weighted', '[{ provider: a, model: a, priority: 0 }, { provider: b, model: b, priority: 1, weight: 100 }]')}`,
    );
    env.sims.a?.setDefault(answer('a'));
    env.sims.b?.setDefault(answer('b'));
    for (let i = 0; i < 20; i++) await ask();
    assert.deepEqual(counts(env.sims), { a: 20, b: 0 }, 'weight 100 in a lower tier gets nothing');
    env.sims.a?.enqueue({ kind: 'json', status: 503, body: { error: { message: 'a down' } } });
    await ask();
    const openedAt = Date.now();
    for (let i = 0; i < 4; i++) await ask();
    assert.ok(Date.now() - openedAt < 1400, 'ran inside the cooldown');
    assert.deepEqual(counts(env.sims), { a: 21, b: 5 });
    await sleep(openedAt + 1550 - Date.now());
    for (let i = 0; i < 5; i++) await ask();
    assert.deepEqual(counts(env.sims), { a: 26, b: 5 });
  });

  it('least-busy: requests go to the deployment with fewer requests in flight', async () => {
    env = await setup(
      ['slow', 'fast'],
      models('least-busy', '[{ provider: slow, model: s }, { provider: fast, model: f }]'),
    );
    env.sims.slow?.setDefault(delayed(600, answer('slow')));
    env.sims.fast?.setDefault(answer('fast'));
    // Two clients, each sending its next request as soon as the previous one is answered. A request
    // always finds the other client's request in flight: on the slow deployment, it takes the fast
    // one; on the fast one, it takes the idle slow one and holds it 600 ms, while the other client
    // goes on with the fast one. So the slow deployment gets about one request per 600 ms.
    const until = performance.now() + 1800;
    const client = async () => {
      while (performance.now() < until) await ask();
    };
    await Promise.all([client(), client()]);
    const seen = counts(env.sims);
    const total = (seen.slow ?? 0) + (seen.fast ?? 0);
    assert.ok((seen.slow ?? 0) <= 6, JSON.stringify(seen));
    assert.ok((seen.slow ?? 0) / total < 0.25, `${JSON.stringify(seen)}: weighted would give the slow one half`);
  });

  it('latency: after measuring both, the faster deployment gets nearly everything', async () => {
    env = await setup(
      ['slow', 'fast'],
      models('latency', '[{ provider: slow, model: s }, { provider: fast, model: f }]'),
    );
    env.sims.slow?.setDefault(delayed(120, answer('slow')));
    env.sims.fast?.setDefault(answer('fast'));
    for (let i = 0; i < 30; i++) await ask();
    const seen = counts(env.sims);
    // 1 measurement + ~5 % exploration of 28 requests (P(slow > 7) < 0.1 %).
    assert.ok((seen.slow ?? 0) >= 1 && (seen.slow ?? 0) <= 7, JSON.stringify(seen));
    assert.equal((seen.slow ?? 0) + (seen.fast ?? 0), 30);
  });

  it('cost: config order (no pricing yet): the first deployment takes the traffic', async () => {
    env = await setup(['a', 'b'], models('cost', '[{ provider: a, model: a }, { provider: b, model: b, weight: 50 }]'));
    env.sims.a?.setDefault(answer('a'));
    env.sims.b?.setDefault(answer('b'));
    for (let i = 0; i < 10; i++) await ask();
    assert.deepEqual(counts(env.sims), { a: 10, b: 0 });
  });
});
