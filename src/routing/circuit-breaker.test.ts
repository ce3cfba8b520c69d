import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOutcome, claimProbe, cooldownFor, newCircuitRecord, viewCircuit } from './circuit-breaker.ts';
import type { AttemptOutcome } from './router-state.ts';
import type { CooldownPolicy } from './types.ts';

const POLICY: CooldownPolicy = { failures: 3, failureRate: 0.5, windowMs: 1000, cooldownMs: 500 };
type Failure = Extract<AttemptOutcome, { kind: 'failure' }>;
/** The first failure of a request on the deployment. */
const failure: Failure = {
  kind: 'failure',
  rateLimited: false,
  retryAfterMs: undefined,
  repeated: false,
  credentialsRejected: false,
};
/** A retry of a request that already failed on the deployment. */
const retryFailure: Failure = { ...failure, repeated: true };
const rateLimited = (retryAfterMs?: number): Failure => ({
  kind: 'failure',
  rateLimited: true,
  retryAfterMs,
  repeated: false,
  credentialsRejected: false,
});
const success: AttemptOutcome = { kind: 'success', firstByteMs: 10 };

describe('circuit breaker', () => {
  it('opens after `failures` distinct failed requests within the window, for cooldownMs', () => {
    const record = newCircuitRecord();
    assert.equal(applyOutcome(record, POLICY, failure, 0, false), undefined);
    assert.equal(applyOutcome(record, POLICY, failure, 100, false), undefined);
    assert.deepEqual(applyOutcome(record, POLICY, failure, 200, false), { kind: 'opened', until: 700 });
    assert.deepEqual(viewCircuit(record, 699), { state: 'open', reopensAt: 700, probeAvailable: false });
    assert.equal(viewCircuit(record, 700).state, 'half-open');
  });

  it('forgets failures older than the window (windowMs 0 = no limit)', () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, failure, 0, false);
    applyOutcome(record, POLICY, failure, 100, false);
    assert.equal(applyOutcome(record, POLICY, failure, 1200, false), undefined, 'the first two fell out of the window');
    assert.equal(viewCircuit(record, 1200).state, 'closed');
    const unlimited = newCircuitRecord();
    const policy = { ...POLICY, windowMs: 0 };
    applyOutcome(unlimited, policy, failure, 0, false);
    applyOutcome(unlimited, policy, failure, 1e9, false);
    assert.equal(applyOutcome(unlimited, policy, failure, 2e9, false)?.kind, 'opened');
  });

  it('one request counts once: its retries on the same deployment add no failure (issue 12)', () => {
    // Before: every attempt counted, so one request retried 3 times on a single deployment opened
    // its circuit for every model and tenant behind it.
    const record = newCircuitRecord();
    assert.equal(applyOutcome(record, POLICY, failure, 0, false), undefined);
    for (let i = 1; i <= 10; i++) applyOutcome(record, POLICY, retryFailure, i, false);
    assert.equal(viewCircuit(record, 10).state, 'closed', 'ten retries of one request do not open it');
    applyOutcome(record, POLICY, failure, 20, false);
    assert.equal(applyOutcome(record, POLICY, failure, 30, false)?.kind, 'opened', 'the third distinct request does');
  });

  it('opens only when the failed requests are at least `failureRate` of the window (0 = count only)', () => {
    const busy = newCircuitRecord();
    for (let i = 0; i < 7; i++) applyOutcome(busy, POLICY, success, i, false);
    for (let i = 0; i < 6; i++) applyOutcome(busy, POLICY, failure, 10 + i, false);
    assert.equal(viewCircuit(busy, 20).state, 'closed', '6 failed of 13 is under half');
    assert.equal(applyOutcome(busy, POLICY, failure, 20, false)?.kind, 'opened', '7 failed of 14 is half');
    const countOnly = newCircuitRecord();
    const policy = { ...POLICY, failureRate: 0 };
    for (let i = 0; i < 100; i++) applyOutcome(countOnly, policy, success, i, false);
    applyOutcome(countOnly, policy, failure, 100, false);
    applyOutcome(countOnly, policy, failure, 101, false);
    assert.equal(applyOutcome(countOnly, policy, failure, 102, false)?.kind, 'opened');
  });

  it('successes older than the window stop counting, and the record stays small', () => {
    const record = newCircuitRecord();
    for (let now = 0; now < 5000; now += 7) applyOutcome(record, POLICY, success, now, false);
    assert.ok(record.slices.length <= 11, `a slice per tenth of the window, got ${record.slices.length}`);
    applyOutcome(record, POLICY, failure, 6100, false);
    applyOutcome(record, POLICY, failure, 6110, false);
    assert.equal(applyOutcome(record, POLICY, failure, 6120, false)?.kind, 'opened', 'the successes fell out');
  });

  it('successes and neutral outcomes do not open it', () => {
    const record = newCircuitRecord();
    for (let i = 0; i < 10; i++) applyOutcome(record, POLICY, i % 2 ? success : { kind: 'neutral' }, i, false);
    assert.equal(viewCircuit(record, 10).state, 'closed');
  });

  it('a 429 opens it at once: for the retry hint when given, else cooldownMs', () => {
    const withHint = newCircuitRecord();
    assert.deepEqual(applyOutcome(withHint, POLICY, rateLimited(200), 1000, false), { kind: 'opened', until: 1200 });
    const withoutHint = newCircuitRecord();
    assert.deepEqual(applyOutcome(withoutHint, POLICY, rateLimited(), 1000, false), { kind: 'opened', until: 1500 });
  });

  it('a rejected provider key opens it at once, for cooldownMs', () => {
    const record = newCircuitRecord();
    assert.deepEqual(
      applyOutcome(record, POLICY, { ...failure, credentialsRejected: true }, 1000, false),
      { kind: 'opened', until: 1500 },
      'one rejected key is enough: every request to the deployment would fail alike',
    );
  });

  it("a 429 opens it even on a request's retry: the upstream says the deployment is over its limit", () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, failure, 0, false);
    assert.deepEqual(applyOutcome(record, POLICY, { ...rateLimited(300), repeated: true }, 10, false), {
      kind: 'opened',
      until: 310,
    });
  });

  it('a retry hint longer than cooldownMs extends the cooldown of other failures', () => {
    assert.equal(cooldownFor(POLICY, { ...failure, retryAfterMs: 2000 }), 2000);
    assert.equal(cooldownFor(POLICY, { ...failure, retryAfterMs: 100 }), 500);
  });

  it('half-open: exactly one probe; it is released by a neutral outcome', () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, rateLimited(100), 0, false);
    assert.equal(claimProbe(record, 50, 10_000), false, 'still open');
    assert.equal(claimProbe(record, 100, 10_000), true);
    assert.equal(claimProbe(record, 101, 10_000), false, 'one probe at a time');
    assert.deepEqual(viewCircuit(record, 101), { state: 'half-open', reopensAt: undefined, probeAvailable: false });
    assert.equal(applyOutcome(record, POLICY, { kind: 'neutral' }, 150, true), undefined);
    assert.equal(claimProbe(record, 151, 10_000), true, 'released for the next probe');
  });

  it('a probe claim lapses after its lease (a crashed holder)', () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, rateLimited(10), 0, false);
    assert.equal(claimProbe(record, 10, 100), true);
    assert.equal(claimProbe(record, 109, 100), false);
    assert.equal(claimProbe(record, 110, 100), true);
  });

  it('probe success closes it, probe failure reopens it', () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, rateLimited(100), 0, false);
    claimProbe(record, 100, 1000);
    assert.deepEqual(applyOutcome(record, POLICY, failure, 120, true), { kind: 'opened', until: 620 });
    assert.equal(viewCircuit(record, 619).state, 'open');
    assert.equal(claimProbe(record, 620, 1000), true);
    assert.deepEqual(applyOutcome(record, POLICY, success, 640, true), { kind: 'closed' });
    assert.equal(viewCircuit(record, 640).state, 'closed');
    applyOutcome(record, POLICY, failure, 650, false);
    applyOutcome(record, POLICY, failure, 660, false);
    assert.equal(viewCircuit(record, 660).state, 'closed', 'failure count restarted after closing');
  });

  it("a failed probe reopens it even when it is the request's retry on the deployment", () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, rateLimited(100), 0, false);
    assert.equal(claimProbe(record, 100, 1000), true);
    assert.deepEqual(applyOutcome(record, POLICY, retryFailure, 110, true), { kind: 'opened', until: 610 });
  });

  it('outcomes of attempts that are not the probe change nothing while open or half-open', () => {
    const record = newCircuitRecord();
    applyOutcome(record, POLICY, rateLimited(100), 0, false);
    assert.equal(applyOutcome(record, POLICY, success, 50, false), undefined);
    assert.equal(applyOutcome(record, POLICY, failure, 150, false), undefined);
    assert.equal(viewCircuit(record, 150).state, 'half-open');
    assert.equal(applyOutcome(record, POLICY, success, 160, false), undefined);
    assert.equal(viewCircuit(record, 160).probeAvailable, true);
  });
});
