import type { RetryPolicy } from '../routing/types.ts';

/** Delay before retry number `retry` (1-based): upstream's retry-after when sane, else capped exponential with jitter. */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfter: string | undefined, random = Math.random): number {
  const hinted = parseRetryAfterMs(retryAfter);
  if (hinted !== undefined && hinted <= policy.maxRetryAfterMs) return hinted;
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
  return Math.round(base * (0.75 + random() * 0.25));
}

/** `retry-after` as seconds or an HTTP date → milliseconds. */
export function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
