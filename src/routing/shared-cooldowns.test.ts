import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { findRedis, redisUnreachable, testPrefix } from '../../test/support/redis.ts';
import { LocalBus } from '../store/local-bus.ts';
import { RedisBus } from '../store/redis/bus.ts';
import { MemoryRouterState } from './memory-router-state.ts';
import { Router } from './router.ts';
import type { AttemptOutcome } from './router-state.ts';
import { COOLDOWN_TOPIC, type CooldownBus, SharedCooldowns } from './shared-cooldowns.ts';
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
const D0 = deployment(0);
const COOLDOWN = { failures: 1, failureRate: 0.5, windowMs: 0, cooldownMs: 5000 };
const FAILURE: AttemptOutcome = {
  kind: 'failure',
  rateLimited: false,
  retryAfterMs: undefined,
  repeated: false,
  credentialsRejected: false,
};
const SUCCESS: AttemptOutcome = { kind: 'success', firstByteMs: 5 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually(condition: () => boolean, withinMs: number, message: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition() && Date.now() < deadline) await sleep(5);
  assert.ok(condition(), message);
}

/** One replica: its own state and router, sharing cooldowns over `bus`. */
async function replica(bus: CooldownBus, clock: { now: number }, name: string) {
  const errors: unknown[] = [];
  const remoteOpens: string[] = [];
  const shared = await SharedCooldowns.start({
    bus,
    replicaId: name,
    now: () => clock.now,
    onError: (error) => errors.push(error),
    onRemoteOpen: (id, until) => remoteOpens.push(`${id}@${until}`),
  });
  let state = new MemoryRouterState({ cooldown: COOLDOWN });
  let router = new Router(shared.wrap(state), { now: () => clock.now });
  const circuit = (id = D0.id) => state.snapshot([id], clock.now)[0]?.circuit;
  /** What runtime.ts does on a config reload. */
  const reload = () => {
    const next = new MemoryRouterState({ cooldown: COOLDOWN });
    next.inheritFrom(state, [D0.id]);
    state = next;
    router = new Router(shared.wrap(state), { now: () => clock.now });
  };
  const planned = async () =>
    (await router.plan(MODEL)).candidates.map((c) => `${c.deployment.id}${c.probe ? '?' : ''}`).sort();
  const fail = async (probe = false) => {
    await router.attemptStarted(D0);
    await router.attemptFinished(D0, FAILURE, probe);
  };
  const probe = async (outcome: AttemptOutcome) => {
    const candidate = (await router.plan(MODEL)).candidates.find((c) => c.deployment.id === D0.id);
    assert.ok(candidate?.probe, `${name}: ${D0.id} is offered as a probe`);
    assert.ok(await router.claim(candidate, 1000), `${name}: claims its own probe`);
    await router.attemptStarted(D0);
    await router.attemptFinished(D0, outcome, true);
  };
  return { errors, remoteOpens, circuit, planned, fail, probe, reload };
}

function sharedCooldownTests(label: string, openBuses: () => Promise<[CooldownBus, CooldownBus]>, deliveryMs: number) {
  describe(`shared cooldowns over ${label}`, () => {
    it('a circuit opened on A is open on B within 1 s; after it, each probes on its own', async () => {
      const clock = { now: 1_000_000 };
      const [busA, busB] = await openBuses();
      const a = await replica(busA, clock, 'A');
      const b = await replica(busB, clock, 'B');
      await a.fail();
      const until = clock.now + COOLDOWN.cooldownMs;
      assert.equal(a.circuit()?.state, 'open', 'A opened its circuit');
      await eventually(() => b.circuit()?.state === 'open', 1000, 'B sees the deployment open within 1 s');
      assert.equal(b.circuit()?.reopensAt, until, 'until the same time as A');
      assert.deepEqual(await b.planned(), ['m#1'], "B's plan skips the cooled deployment");
      assert.deepEqual(b.remoteOpens, [`m#0@${until}`], 'B reports the remote opening');
      assert.deepEqual(a.remoteOpens, [], 'A ignores its own notice');

      clock.now = until;
      assert.deepEqual(await b.planned(), ['m#0?', 'm#1'], 'after the cooldown B offers a probe');
      await b.probe(SUCCESS);
      assert.equal(b.circuit()?.state, 'closed', 'B closed after its own probe');
      await sleep(deliveryMs);
      assert.equal(a.circuit()?.state, 'half-open', 'a closing is not shared: A still probes on its own');
      await a.probe(FAILURE);
      const reopenedUntil = clock.now + COOLDOWN.cooldownMs;
      await eventually(() => b.circuit()?.state === 'open', 1000, "A's failed probe reopens B's closed circuit");
      assert.equal(b.circuit()?.reopensAt, reopenedUntil, 'until the new end');
      assert.deepEqual([...a.errors, ...b.errors], [], 'no errors');
    });

    it('notices reach the state of the runtime built last (a reload), and a stale one changes nothing', async () => {
      const clock = { now: 2_000_000 };
      const [busA, busB] = await openBuses();
      const a = await replica(busA, clock, 'A');
      const b = await replica(busB, clock, 'B');
      b.reload();
      await a.fail();
      await eventually(() => b.circuit()?.state === 'open', 1000, "the reloaded runtime's state is opened");
      const until = b.circuit()?.reopensAt;
      clock.now += 10 * COOLDOWN.cooldownMs;
      await busA.publish(COOLDOWN_TOPIC, JSON.stringify({ replica: 'A', deploymentId: D0.id, until: clock.now - 1 }));
      await busA.publish(COOLDOWN_TOPIC, 'not json');
      await eventually(() => b.errors.length > 0, 1000, 'the unreadable notice is reported');
      assert.equal(b.circuit()?.state, 'half-open', 'a notice already past does not reopen the circuit');
      assert.equal(b.remoteOpens.length, 1, `one remote opening only (until ${until})`);
      const notice = { replica: 'A', deploymentId: 'm#1', until: clock.now + 1000 };
      await busB.publish(COOLDOWN_TOPIC, JSON.stringify(notice));
      await eventually(() => b.circuit('m#1')?.state === 'open', 1000, "B applies A's notice");
      assert.equal(a.circuit('m#1')?.state, 'closed', 'A ignores a notice carrying its own replica id');
    });
  });
}

describe('MemoryRouterState.openUntil (a cooldown reported by another replica)', () => {
  it('never shortens a cooldown, and drops a probe held here', () => {
    const state = new MemoryRouterState({ cooldown: COOLDOWN });
    assert.equal(state.openUntil(D0.id, 100, 200), false, 'a notice already past is ignored');
    assert.equal(state.openUntil(D0.id, 1000, 0), true, 'a closed circuit opens');
    assert.equal(state.openUntil(D0.id, 500, 0), false, 'a shorter cooldown changes nothing');
    assert.equal(state.snapshot([D0.id], 999)[0]?.circuit.reopensAt, 1000, 'still open until 1000');
    assert.ok(state.claimProbe(D0.id, 1000, 10_000), 'half-open at 1000: the probe is claimed here');
    assert.equal(state.openUntil(D0.id, 2000, 1001), true, 'a half-open circuit opens again');
    assert.equal(state.attemptFinished(D0.id, SUCCESS, 1500, true), undefined, 'the dropped probe counts for nothing');
    assert.ok(state.claimProbe(D0.id, 2000, 10_000), 'at 2000 a new probe is free, the old lease forgotten');
  });
});

sharedCooldownTests(
  'LocalBus',
  async () => {
    const bus = new LocalBus();
    return [bus, bus];
  },
  0,
);

const redisUrl = await findRedis();
if (!redisUrl) {
  redisUnreachable('shared cooldowns over RedisBus');
} else {
  const buses: RedisBus[] = [];
  const open = async (prefix = testPrefix()) => {
    const bus = await RedisBus.connect(redisUrl, { commandTimeoutMs: 500, channelPrefix: prefix });
    buses.push(bus);
    return bus;
  };
  after(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
  });
  sharedCooldownTests(
    'RedisBus',
    async () => {
      // A channel of their own per test: no notice reaches another test's replicas.
      const prefix = testPrefix();
      return [await open(prefix), await open(prefix)];
    },
    100,
  );

  it('a notice that cannot be published is reported, and the request goes on', async () => {
    const bus = await open();
    const errors: unknown[] = [];
    const shared = await SharedCooldowns.start({ bus, onError: (error) => errors.push(error) });
    const state = new MemoryRouterState({ cooldown: COOLDOWN });
    const router = new Router(shared.wrap(state));
    await bus.close();
    await router.attemptStarted(D0);
    await router.attemptFinished(D0, FAILURE, false);
    assert.equal(state.snapshot([D0.id], Date.now())[0]?.circuit.state, 'open', 'opened locally');
    await eventually(() => errors.length === 1, 1000, 'the failed publish reaches onError');
  });
}
