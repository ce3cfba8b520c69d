/**
 * What an upstream's error response says about trying again, read once where the response is seen
 * (providers' `parseError`), after openai-node: `x-should-retry` decides when present, else the
 * status; the wait comes from `retry-after-ms`, else `retry-after` (seconds or an HTTP date).
 */
import { isRetryableStatus } from '../core/errors.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** `retry-after`: delay-seconds (fractions accepted, as openai-node does) or an HTTP date → ms. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const seconds = Number(trimmed);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `retry-after-ms` (openai's, ms precision) wins over `retry-after`. Undefined when neither parses. */
export function retryAfterMsFromHeaders(headers: Headers, now = Date.now()): number | undefined {
  const rawMs = first(headers['retry-after-ms'])?.trim();
  if (rawMs) {
    const ms = Number(rawMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  return parseRetryAfter(first(headers['retry-after']), now);
}

/** `x-should-retry: true` forces a retry, `false` forbids it; anything else says nothing. */
export function shouldRetryFromHeaders(headers: Headers): boolean | undefined {
  const value = first(headers['x-should-retry']);
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

export interface UpstreamRetryFacts {
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Whether an upstream error is worth another attempt and how long to wait: `x-should-retry` wins
 * over `status` (the status the error is given, which a provider may have mapped).
 */
export function upstreamRetryFacts(status: number, headers: Headers, now = Date.now()): UpstreamRetryFacts {
  const retryable = shouldRetryFromHeaders(headers) ?? isRetryableStatus(status);
  const retryAfterMs = retryAfterMsFromHeaders(headers, now);
  return retryAfterMs === undefined ? { retryable } : { retryable, retryAfterMs };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
