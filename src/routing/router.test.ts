import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryRouterState } from './memory-router-state.ts';
import { Router } from './router.ts';
import type { RouterState } from './router-state.ts';
import type { Deployment, PublicModel } from './types.ts';

const TIMEOUTS = { connectMs: 1000, firstByteMs: 1000, idleMs: 1000, totalMs: 1000 };
const deployment = (index: number): Deployment => ({
  id: `m#${index}`,
  providerName: 'p',
  model: `u${index}`,
  weight: 1,
  priority: 0,
  capabilities: {},
  timeouts: TIMEOUTS,
});
const MODEL: PublicModel = {
  name: 'm',
  strategy: 'least-busy',
  deployments: [deployment(0), deployment(1)],
  fallbacks: [],
  retry: { attempts: 3, backoffMs: 1, maxBackoffMs: 2, maxRetryAfterMs: 1000 },
  timeouts: TIMEOUTS,
};

describe('router with the in-memory state', () => {
  it('counts in-flight attempts and keeps a moving average of time to first byte', async () => {
    const state = new MemoryRouterState({
      cooldown: { failures: 3, failureRate: 0.5, windowMs: 1000, cooldownMs: 100 },
      latencyAlpha: 0.5,
    });
    const router = new Router(state, { now: () => 0 });
    const [d0] = MODEL.deployments as [Deployment];
    await router.attemptStarted(d0);
    await router.attemptStarted(d0);
    assert.deepEqual(
      (await router.plan(MODEL)).candidates.map((c) => c.deployment.id),
      ['m#1', 'm#0'],
    );
    await router.attemptFinished(d0, { kind: 'success', firstByteMs: 100 }, false);
    await router.attemptFinished(d0, { kind: 'success', firstByteMs: 300 }, false);
    const [snapshot] = state.snapshot(['m#0'], 0);
    assert.equal(snapshot?.inFlight, 0);
    assert.deepEqual(snapshot?.latency, { ewmaMs: 200, samples: 2 });
  });

  it('reports circuit changes and lets exactly one probe through', async () => {
    let now = 0;
    const changes: string[] = [];
    const router = new Router(
      new MemoryRouterState({ cooldown: { failures: 1, failureRate: 0.5, windowMs: 0, cooldownMs: 50 } }),
      {
        now: () => now,
        onCircuitChange: (d, change) => changes.push(`${d.id} ${change.kind}`),
      },
    );
    const [d0] = MODEL.deployments as [Deployment];
    await router.attemptStarted(d0);
    await router.attemptFinished(
      d0,
      { kind: 'failure', rateLimited: false, retryAfterMs: undefined, repeated: false, credentialsRejected: false },
      false,
    );
    assert.deepEqual(
      (await router.plan(MODEL)).candidates.map((c) => c.deployment.id),
      ['m#1'],
    );
    now = 60;
    const [probe] = (await router.plan(MODEL)).candidates.filter((c) => c.deployment.id === 'm#0');
    assert.ok(probe?.probe, 'probe?.probe');
    assert.equal(await router.claim(probe, 1000), true);
    assert.equal(await router.claim(probe, 1000), false);
    assert.deepEqual(
      (await router.plan(MODEL)).candidates.map((c) => c.deployment.id),
      ['m#1'],
    );
    await router.attemptFinished(d0, { kind: 'success', firstByteMs: 5 }, true);
    assert.deepEqual(changes, ['m#0 opened', 'm#0 closed']);
  });

  it('a probe settled early (its stream started) closes the circuit before the attempt ends', async () => {
    let now = 0;
    const router = new Router(
      new MemoryRouterState({ cooldown: { failures: 1, failureRate: 0.5, windowMs: 0, cooldownMs: 50 } }),
      {
        now: () => now,
      },
    );
    const [d0] = MODEL.deployments as [Deployment];
    await router.attemptFinished(
      d0,
      { kind: 'failure', rateLimited: false, retryAfterMs: undefined, repeated: false, credentialsRejected: false },
      false,
    );
    now = 60;
    const [probe] = (await router.plan(MODEL)).candidates.filter((c) => c.deployment.id === 'm#0');
    assert.ok(probe && (await router.claim(probe, 1000)), 'probe && (await router.claim(probe, 1000))');
    await router.attemptStarted(d0);
    await router.probeSucceeded(d0);
    const during = await router.plan(MODEL);
    assert.deepEqual(
      during.candidates.map((c) => [c.deployment.id, c.probe]).sort(),
      [
        ['m#0', false],
        ['m#1', false],
      ],
      'closed while the probe stream still runs',
    );
    await router.attemptFinished(d0, { kind: 'success', firstByteMs: 5 }, false);
    assert.equal((await router.plan(MODEL)).candidates.length, 2);
  });

  it('routes on when the state store fails (as if every deployment were healthy)', async () => {
    const broken: RouterState = {
      snapshot: () => Promise.reject(new Error('redis down')),
      claimProbe: () => Promise.reject(new Error('redis down')),
      attemptStarted: () => Promise.reject(new Error('redis down')),
      attemptFinished: () => Promise.reject(new Error('redis down')),
      settleProbe: () => Promise.reject(new Error('redis down')),
    };
    const errors: unknown[] = [];
    const router = new Router(broken, { onStateError: (error) => errors.push(error) });
    const plan = await router.plan(MODEL);
    assert.equal(plan.candidates.length, 2);
    await router.attemptStarted(deployment(0));
    await router.attemptFinished(deployment(0), { kind: 'neutral' }, false);
    assert.equal(errors.length, 3);
  });
});
