/**
 * Circuit breaker transitions for one deployment, as pure functions over a small record, so that
 * every RouterState implementation (in memory now, Redis later) applies the same rules:
 *
 * - closed → open: `failures` retryable failures within `windowMs`, or any 429.
 * - open for `cooldownMs`, or for the upstream's retry hint when it is longer (a 429 with a hint
 *   is open for exactly that hint: the upstream said when to come back). Hints arrive capped.
 * - open → half-open when the time is up: exactly one probe request at a time is let through.
 * - half-open → closed when the probe succeeds; → open again when it fails.
 * Outcomes of attempts that were not the probe change nothing while the circuit is open or half-open.
 */

import type { AttemptOutcome, CircuitChange, CircuitView } from './router-state.ts';
import type { CooldownPolicy } from './types.ts';

export interface CircuitRecord {
  /** Times of recent retryable failures while closed. */
  failureTimes: number[];
  /** 0 while closed; otherwise the end of the cooldown (half-open once passed). */
  openUntil: number;
  /** While half-open: when the current probe claim lapses (0 = no claim). */
  probeLeaseUntil: number;
}

export function newCircuitRecord(): CircuitRecord {
  return { failureTimes: [], openUntil: 0, probeLeaseUntil: 0 };
}

export function viewCircuit(record: CircuitRecord, now: number): CircuitView {
  if (record.openUntil === 0) return { state: 'closed', reopensAt: undefined, probeAvailable: false };
  if (now < record.openUntil) return { state: 'open', reopensAt: record.openUntil, probeAvailable: false };
  return { state: 'half-open', reopensAt: undefined, probeAvailable: now >= record.probeLeaseUntil };
}

/** Claims the probe of a half-open circuit; false when closed, open, or the probe is held. */
export function claimProbe(record: CircuitRecord, now: number, leaseMs: number): boolean {
  if (!viewCircuit(record, now).probeAvailable) return false;
  record.probeLeaseUntil = now + Math.max(1, leaseMs);
  return true;
}

/** Applies an attempt's outcome; returns the transition it caused, if any. */
export function applyOutcome(
  record: CircuitRecord,
  policy: CooldownPolicy,
  outcome: AttemptOutcome,
  now: number,
  probe: boolean,
): CircuitChange {
  const state = viewCircuit(record, now).state;
  if (state !== 'closed') {
    if (!probe || state !== 'half-open') return undefined;
    record.probeLeaseUntil = 0;
    if (outcome.kind === 'success') {
      record.openUntil = 0;
      record.failureTimes = [];
      return { kind: 'closed' };
    }
    if (outcome.kind === 'failure') return open(record, cooldownFor(policy, outcome), now);
    return undefined;
  }
  if (outcome.kind !== 'failure') return undefined;
  const windowStart = policy.windowMs > 0 ? now - policy.windowMs : Number.NEGATIVE_INFINITY;
  record.failureTimes = record.failureTimes.filter((time) => time > windowStart);
  record.failureTimes.push(now);
  if (outcome.rateLimited || record.failureTimes.length >= policy.failures) {
    return open(record, cooldownFor(policy, outcome), now);
  }
  return undefined;
}

/** How long a failure keeps the circuit open. */
export function cooldownFor(policy: CooldownPolicy, failure: Extract<AttemptOutcome, { kind: 'failure' }>): number {
  const hint = failure.retryAfterMs;
  if (failure.rateLimited && hint !== undefined) return hint;
  return Math.max(policy.cooldownMs, hint ?? 0);
}

function open(record: CircuitRecord, cooldownMs: number, now: number): CircuitChange {
  record.openUntil = now + Math.max(1, cooldownMs);
  record.probeLeaseUntil = 0;
  record.failureTimes = [];
  return { kind: 'opened', until: record.openUntil };
}
