/**
 * Circuit breaker transitions for one deployment, as pure functions over a small record, so that
 * every RouterState implementation (in memory now, Redis later) applies the same rules:
 *
 * - closed → open: within `windowMs`, at least `failures` distinct requests failed on the
 *   deployment AND they are at least `failureRate` of the requests it finished there; or at once
 *   on a 429 or when the upstream refuses the provider key. A request counts once however often it is retried on the deployment (`repeated`
 *   failures are not counted), so one request, one tenant, cannot take a deployment out for
 *   everyone; errors the request caused are answers, not failures (retry-policy.ts).
 * - open for `cooldownMs`, or for the upstream's retry hint when it is longer (a 429 with a hint
 *   is open for exactly that hint: the upstream said when to come back). Hints arrive capped.
 * - open → half-open when the time is up: exactly one probe request at a time is let through.
 * - half-open → closed when the probe succeeds; → open again when it fails.
 * Outcomes of attempts that were not the probe change nothing while the circuit is open or half-open.
 */

import type { AttemptOutcome, CircuitChange, CircuitView } from './router-state.ts';
import type { CooldownPolicy } from './types.ts';

/** Outcomes counted while closed, per tenth of the window (bounded whatever the traffic). */
export interface WindowSlice {
  /** Epoch ms the slice starts at (0 for the single slice of an unlimited window). */
  start: number;
  /** Requests that failed (first failure of each). */
  failures: number;
  /** Attempts that got an answer (a 4xx the client caused included). */
  successes: number;
}

export interface CircuitRecord {
  /** While closed: the window's slices, oldest first (at most SLICES_PER_WINDOW + 1). */
  slices: WindowSlice[];
  /** 0 while closed; otherwise the end of the cooldown (half-open once passed). */
  openUntil: number;
  /** While half-open: when the current probe claim lapses (0 = no claim). */
  probeLeaseUntil: number;
}

export function newCircuitRecord(): CircuitRecord {
  return { slices: [], openUntil: 0, probeLeaseUntil: 0 };
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
      record.slices = [];
      return { kind: 'closed' };
    }
    if (outcome.kind === 'failure') return open(record, cooldownFor(policy, outcome), now);
    return undefined;
  }
  if (outcome.kind === 'neutral') return undefined;
  // The upstream said the deployment (its account) is over its limit, or refused its key: believe it at once.
  if (outcome.kind === 'failure' && (outcome.rateLimited || outcome.credentialsRejected))
    return open(record, cooldownFor(policy, outcome), now);
  if (outcome.kind === 'failure' && outcome.repeated) return undefined;
  const slice = currentSlice(record, policy.windowMs, now);
  if (outcome.kind === 'success') {
    slice.successes += 1;
    return undefined;
  }
  slice.failures += 1;
  return tripped(record.slices, policy) ? open(record, cooldownFor(policy, outcome), now) : undefined;
}

const SLICES_PER_WINDOW = 10;

/** The slice `now` falls in, after dropping the slices wholly older than the window. */
function currentSlice(record: CircuitRecord, windowMs: number, now: number): WindowSlice {
  const sliceMs = windowMs > 0 ? windowMs / SLICES_PER_WINDOW : Number.POSITIVE_INFINITY;
  const start = windowMs > 0 ? Math.floor(now / sliceMs) * sliceMs : 0;
  record.slices = record.slices.filter((slice) => slice.start + sliceMs > now - windowMs);
  const last = record.slices.at(-1);
  // A clock that went backwards keeps counting in the newest slice.
  if (last && last.start >= start) return last;
  const slice = { start, failures: 0, successes: 0 };
  record.slices.push(slice);
  return slice;
}

/** Enough distinct failed requests, and a large enough share of the window's requests. */
function tripped(slices: readonly WindowSlice[], policy: CooldownPolicy): boolean {
  let failures = 0;
  let successes = 0;
  for (const slice of slices) {
    failures += slice.failures;
    successes += slice.successes;
  }
  return failures >= policy.failures && failures >= policy.failureRate * (failures + successes);
}

/** How long a failure keeps the circuit open. */
export function cooldownFor(policy: CooldownPolicy, failure: Extract<AttemptOutcome, { kind: 'failure' }>): number {
  const hint = failure.retryAfterMs;
  if (failure.rateLimited && hint !== undefined) return hint;
  return Math.max(policy.cooldownMs, hint ?? 0);
}

/**
 * Opens the circuit until `until` because another replica opened it there (shared cooldowns).
 * Never shortens a longer cooldown; a notice already past is ignored, so after `until` this
 * replica runs its own half-open probe. A probe held here is dropped: its outcome no longer counts.
 * Returns whether the circuit changed.
 */
export function openUntil(record: CircuitRecord, until: number, now: number): boolean {
  if (until <= now || record.openUntil >= until) return false;
  record.openUntil = until;
  record.probeLeaseUntil = 0;
  record.slices = [];
  return true;
}

function open(record: CircuitRecord, cooldownMs: number, now: number): CircuitChange {
  record.openUntil = now + Math.max(1, cooldownMs);
  record.probeLeaseUntil = 0;
  record.slices = [];
  return { kind: 'opened', until: record.openUntil };
}
