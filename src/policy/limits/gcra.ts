/**
 * GCRA (generic cell rate algorithm) over a one-minute window: a bucket of `limit` units refilled
 * continuously, stored as one number, the theoretical arrival time (TAT). A unit costs the emission
 * interval T = 60 000 / limit ms; a take of `cost` units is allowed while TAT + cost·T − 60 000 ≤ now.
 * The Redis admission script runs the same arithmetic in Lua (redis-scripts.ts).
 */
import type { RateWindow } from './types.ts';

export const GCRA_WINDOW_MS = 60_000;
/** Float slack so that T·limit adding up to a hair over the window still admits the last unit. */
const EPSILON_MS = 1e-6;

export interface GcraTake {
  allowed: boolean;
  /** The TAT after the take (unchanged when denied). */
  tat: number;
  /** Until the take can succeed; undefined when it never can (cost above the limit). */
  retryAfterMs: number | undefined;
}

export function emissionIntervalMs(limit: number): number {
  return GCRA_WINDOW_MS / limit;
}

/** Takes `cost` units from a bucket of `limit` per minute whose TAT is `tat` (undefined = full). */
export function gcraTake(tat: number | undefined, now: number, cost: number, limit: number): GcraTake {
  const current = Math.max(tat ?? now, now);
  if (limit <= 0 || cost > limit) return { allowed: false, tat: current, retryAfterMs: undefined };
  const next = current + cost * emissionIntervalMs(limit);
  const allowAt = next - GCRA_WINDOW_MS;
  if (allowAt > now + EPSILON_MS) return { allowed: false, tat: current, retryAfterMs: Math.ceil(allowAt - now) };
  return { allowed: true, tat: next, retryAfterMs: undefined };
}

/**
 * Moves a TAT by `deltaCost` units (a refund when negative, a charge when positive); a bucket is
 * never fuller than full. Returns undefined when the bucket ends up full.
 */
export function gcraAdjust(tat: number | undefined, now: number, deltaCost: number, limit: number): number | undefined {
  if (limit <= 0) return tat;
  const next = Math.max(tat ?? now, now) + deltaCost * emissionIntervalMs(limit);
  return next > now ? next : undefined;
}

/** The bucket as OpenAI's `x-ratelimit-*` headers show it. */
export function gcraWindow(tat: number | undefined, now: number, limit: number): RateWindow {
  const current = Math.max(tat ?? now, now);
  const free = (now + GCRA_WINDOW_MS - current) / emissionIntervalMs(limit);
  const remaining = Math.min(limit, Math.max(0, Math.floor(free + EPSILON_MS)));
  return { limit, remaining, resetMs: Math.ceil(current - now) };
}

/** The window with the fewest units left (then the longest reset): what the headers report. */
export function mostConstrained(windows: readonly (RateWindow | undefined)[]): RateWindow | undefined {
  let worst: RateWindow | undefined;
  for (const window of windows) {
    if (window === undefined) continue;
    if (
      worst === undefined ||
      window.remaining < worst.remaining ||
      (window.remaining === worst.remaining && window.resetMs > worst.resetMs)
    )
      worst = window;
  }
  return worst;
}
