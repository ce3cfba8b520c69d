import type { GatewayError } from '../core/errors.ts';
import { isDeploymentFailure, isRateLimited, retryHintMs } from '../routing/retry-policy.ts';
import type { AttemptOutcome } from '../routing/router-state.ts';
import type { RetryPolicy } from '../routing/types.ts';

/**
 * What a failed attempt says about the deployment: retryable failures count against it (a 429 at
 * once, with the upstream's hint capped at `maxRetryAfterMs`); an answer the client gets as a 4xx
 * proves the deployment works; anything else (client gone, internal error) says nothing.
 */
export function healthOutcome(error: GatewayError, policy: RetryPolicy): AttemptOutcome {
  if (isDeploymentFailure(error)) {
    const hint = retryHintMs(error);
    return {
      kind: 'failure',
      rateLimited: isRateLimited(error),
      retryAfterMs: hint === undefined ? undefined : Math.min(hint, policy.maxRetryAfterMs),
    };
  }
  if (error.upstreamStatus !== undefined) return { kind: 'success', firstByteMs: undefined };
  return { kind: 'neutral' };
}
