import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDeployments } from './planner.ts';
import type { CircuitView, DeploymentSnapshot } from './router-state.ts';
import type { StrategyContext } from './strategies.ts';
import type { Deployment, PublicModel, StrategyName } from './types.ts';

/** Deterministic PRNG (mulberry32) so that the statistical checks cannot flake. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIMEOUTS = { connectMs: 1000, firstByteMs: 1000, idleMs: 1000, totalMs: 1000 };
const RETRY = { attempts: 3, backoffMs: 1, maxBackoffMs: 2, maxRetryAfterMs: 1000 };

function model(strategy: StrategyName, specs: Array<{ weight?: number; priority?: number }>): PublicModel {
  const deployments: Deployment[] = specs.map((spec, index) => ({
    id: `m#${index}`,
    providerName: `p${index}`,
    model: `upstream-${index}`,
    weight: spec.weight ?? 1,
    priority: spec.priority ?? 0,
    capabilities: {},
    timeouts: TIMEOUTS,
  }));
  return { name: 'm', strategy, deployments, fallbacks: [], retry: RETRY, timeouts: TIMEOUTS };
}

const CLOSED: CircuitView = { state: 'closed', reopensAt: undefined, probeAvailable: false };

function snapshots(count: number, overrides: Record<number, Partial<DeploymentSnapshot>> = {}): DeploymentSnapshot[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `m#${index}`,
    inFlight: 0,
    latency: undefined,
    circuit: CLOSED,
    ...overrides[index],
  }));
}

const context = (random: () => number, explorationRate = 0.05): StrategyContext => ({ random, explorationRate });
const order = (plan: ReturnType<typeof planDeployments>) => plan.candidates.map((c) => c.deployment.id);

describe('planner', () => {
  it('weighted: the first pick follows the weights within 1.5 % over 20 000 plans; weight 0 is standby', () => {
    const m = model('weighted', [{ weight: 3 }, { weight: 1 }, { weight: 0 }]);
    const ctx = context(seeded(42));
    const firsts = new Map<string, number>();
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const plan = planDeployments(m, snapshots(3), ctx);
      const first = plan.candidates[0]?.deployment.id ?? 'none';
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
      assert.equal(plan.candidates.at(-1)?.deployment.id, 'm#2', 'weight 0 always last');
    }
    assert.ok(Math.abs((firsts.get('m#0') ?? 0) / N - 0.75) < 0.015, `m#0: ${firsts.get('m#0')}`);
    assert.ok(Math.abs((firsts.get('m#1') ?? 0) / N - 0.25) < 0.015, `m#1: ${firsts.get('m#1')}`);
    assert.equal(firsts.get('m#2'), undefined);
  });

  it('weighted: with Math.random too, 5 000 plans stay within tolerance', () => {
    const m = model('weighted', [{ weight: 1 }, { weight: 4 }]);
    let second = 0;
    for (let i = 0; i < 5000; i++)
      if (planDeployments(m, snapshots(2), context(Math.random)).candidates[0]?.deployment.id === 'm#1') second++;
    assert.ok(Math.abs(second / 5000 - 0.8) < 0.04, `m#1 first ${second} / 5000`);
  });

  it('every strategy respects priority tiers: a lower tier comes after every available higher one', () => {
    for (const strategy of ['weighted', 'priority', 'least-busy', 'latency', 'cost'] as const) {
      const m = model(strategy, [{ priority: 1 }, { priority: 0 }, { priority: 2 }, { priority: 0 }]);
      const plan = planDeployments(m, snapshots(4, { 1: { inFlight: 50 } }), context(seeded(1)));
      assert.deepEqual(order(plan).slice(2), ['m#0', 'm#2'], strategy);
      assert.deepEqual(new Set(order(plan).slice(0, 2)), new Set(['m#1', 'm#3']), strategy);
    }
  });

  it('leaves out open circuits and half-open ones whose probe is taken; reports the earliest reopening', () => {
    const m = model('priority', [{}, {}, {}, {}]);
    const plan = planDeployments(
      m,
      snapshots(4, {
        0: { circuit: { state: 'open', reopensAt: 5000, probeAvailable: false } },
        1: { circuit: { state: 'half-open', reopensAt: undefined, probeAvailable: false } },
        2: { circuit: { state: 'open', reopensAt: 3000, probeAvailable: false } },
      }),
      context(seeded(1)),
    );
    assert.deepEqual(order(plan), ['m#3']);
    assert.equal(plan.reopensAt, 3000);
  });

  it('a half-open deployment with its probe free is a candidate marked as the probe', () => {
    const m = model('priority', [{}, {}]);
    const plan = planDeployments(
      m,
      snapshots(2, { 0: { circuit: { state: 'half-open', reopensAt: undefined, probeAvailable: true } } }),
      context(seeded(1)),
    );
    assert.deepEqual(
      plan.candidates.map((c) => [c.deployment.id, c.probe]),
      [
        ['m#0', true],
        ['m#1', false],
      ],
    );
  });

  it('priority: config order within a tier, weights ignored', () => {
    const m = model('priority', [{ weight: 1 }, { weight: 100 }, { weight: 5 }]);
    for (let i = 0; i < 50; i++)
      assert.deepEqual(order(planDeployments(m, snapshots(3), context(Math.random))), ['m#0', 'm#1', 'm#2']);
  });

  it('least-busy: fewest in-flight requests first', () => {
    const m = model('least-busy', [{}, {}, {}]);
    const plan = planDeployments(
      m,
      snapshots(3, { 0: { inFlight: 4 }, 1: { inFlight: 9 }, 2: { inFlight: 1 } }),
      context(seeded(3)),
    );
    assert.deepEqual(order(plan), ['m#2', 'm#0', 'm#1']);
  });

  it('least-busy: ties are broken by weight', () => {
    const m = model('least-busy', [{ weight: 1 }, { weight: 9 }]);
    const random = seeded(9);
    let heavy = 0;
    for (let i = 0; i < 2000; i++) if (order(planDeployments(m, snapshots(2), context(random)))[0] === 'm#1') heavy++;
    assert.ok(Math.abs(heavy / 2000 - 0.9) < 0.03, `${heavy}`);
  });

  it('latency: unmeasured deployments first, then the lowest moving average', () => {
    const m = model('latency', [{}, {}, {}]);
    const measured = snapshots(3, {
      0: { latency: { ewmaMs: 300, samples: 5 } },
      1: { latency: { ewmaMs: 40, samples: 5 } },
    });
    assert.deepEqual(order(planDeployments(m, measured, context(seeded(1), 0))), ['m#2', 'm#1', 'm#0']);
    const allMeasured = snapshots(3, {
      0: { latency: { ewmaMs: 300, samples: 5 } },
      1: { latency: { ewmaMs: 40, samples: 5 } },
      2: { latency: { ewmaMs: 90, samples: 5 } },
    });
    assert.deepEqual(order(planDeployments(m, allMeasured, context(seeded(1), 0))), ['m#1', 'm#2', 'm#0']);
  });

  it('latency: explores another deployment about `explorationRate` of the time', () => {
    const m = model('latency', [{}, {}]);
    const measured = snapshots(2, {
      0: { latency: { ewmaMs: 500, samples: 9 } },
      1: { latency: { ewmaMs: 20, samples: 9 } },
    });
    const random = seeded(5);
    let explored = 0;
    const N = 10_000;
    for (let i = 0; i < N; i++) if (order(planDeployments(m, measured, context(random, 0.1)))[0] === 'm#0') explored++;
    assert.ok(Math.abs(explored / N - 0.1) < 0.015, `explored ${explored} / ${N}`);
  });

  it('cost: config order until prices are known, then cheapest first', () => {
    const m = model('cost', [{ weight: 1 }, { weight: 50 }, { weight: 2 }]);
    assert.deepEqual(order(planDeployments(m, snapshots(3), context(Math.random))), ['m#0', 'm#1', 'm#2']);
    const prices: Record<string, number> = { 'upstream-1': 0.5, 'upstream-2': 0.1 };
    const ctx: StrategyContext = { ...context(Math.random), priceOf: (d) => prices[d.model] };
    assert.deepEqual(order(planDeployments(m, snapshots(3), ctx)), ['m#2', 'm#1', 'm#0']);
  });
});
