/**
 * The retry policy (DESIGN §5), after openai-node's: retry on connection errors, timeouts, 408,
 * 409, 429 and 5xx; never on other 4xx; as the upstream's `x-should-retry` says when it says so (the
 * providers set `retryable` from it). Wait for the upstream's hint (`retryAfterMs`, read from
 * `retry-after-ms` / `retry-after` by upstream/retry-after.ts) when it is within `maxRetryAfterMs`,
 * otherwise back off exponentially with jitter.
 */
import type { GatewayError } from '../core/errors.ts';
import type { RetryPolicy } from './types.ts';

/**
 * What a failed attempt allows next:
 * - `retry`: another attempt on this model (another deployment when there is one);
 * - `fallback`: not this model again, but the fallback models may answer (context window, content policy);
 * - `final`: give the client this error as is.
 */
export type FailureDecision = 'retry' | 'fallback' | 'final';

const FALLBACK_ONLY = new Set<string>(['context_length_exceeded', 'content_policy_violation']);

export function decideAfterFailure(error: GatewayError): FailureDecision {
  if (error.code === 'client_closed' || error.code === 'shutting_down') return 'final';
  if (FALLBACK_ONLY.has(error.code)) return 'fallback';
  return error.retryable ? 'retry' : 'final';
}

/**
 * True for failures that count against the deployment's health (circuit breaker): retryable
 * failures, among them the upstream rejecting the provider key. Never what the request itself
 * caused: other 4xx (a 403 often depends on what was asked: a model, a beta, a file), context
 * length and content policy (whatever status the upstream gave them), nor the client leaving or
 * the shutdown.
 */
export function isDeploymentFailure(error: GatewayError): boolean {
  if (error.code === 'client_closed' || error.code === 'shutting_down' || FALLBACK_ONLY.has(error.code)) return false;
  return error.retryable || isProviderKeyRejected(error);
}

/**
 * The upstream refused the operator's provider key (the providers decide which 401/403/400 mean
 * that, see providers/upstream-auth.ts). No request content causes it and every request to that
 * deployment fails alike: its circuit opens at once, and the request goes on to another deployment,
 * never back to this one.
 */
export function isProviderKeyRejected(error: GatewayError): boolean {
  return error.code === 'upstream_auth_failed';
}

/** Whether a retry of this request may go back to the deployment that just failed. */
export function mayRetrySameDeployment(error: GatewayError): boolean {
  return !isProviderKeyRejected(error);
}

export function isRateLimited(error: GatewayError): boolean {
  return error.upstreamStatus === 429 || error.status === 429;
}

/**
 * Delay before retry number `retry` (1-based) on a deployment that already failed: the upstream's
 * hint when it is at most `maxRetryAfterMs`, else `backoffMs · 2^(retry-1)` capped at
 * `maxBackoffMs`, minus up to 25 % jitter.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  hintMs: number | undefined,
  random = Math.random,
): number {
  if (hintMs !== undefined && hintMs <= policy.maxRetryAfterMs) return hintMs;
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, retry - 1));
  return Math.round(base * (1 - 0.25 * random()));
}
