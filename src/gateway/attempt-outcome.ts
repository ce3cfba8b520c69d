import type { GatewayError } from '../core/errors.ts';
import { isDeploymentFailure, isProviderKeyRejected, isRateLimited } from '../routing/retry-policy.ts';
import type { AttemptOutcome } from '../routing/router-state.ts';
import type { RetryPolicy } from '../routing/types.ts';

/**
 * What a failed attempt says about the deployment: deployment failures count against it (a 429 or
 * a rejected provider key at once, with the upstream's hint capped at `maxRetryAfterMs`; `repeated`
 * when this request already failed there, so that it counts once); an answer the client gets as a
 * 4xx, or any error the request caused, proves the deployment works; anything else (client gone,
 * internal error) says nothing.
 */
export function healthOutcome(error: GatewayError, policy: RetryPolicy, repeated: boolean): AttemptOutcome {
  if (isDeploymentFailure(error)) {
    const hint = error.retryAfterMs;
    return {
      kind: 'failure',
      rateLimited: isRateLimited(error),
      retryAfterMs: hint === undefined ? undefined : Math.min(hint, policy.maxRetryAfterMs),
      repeated,
      credentialsRejected: isProviderKeyRejected(error),
      error: { code: error.code, message: error.message },
    };
  }
  if (error.upstreamStatus !== undefined) return { kind: 'success', firstByteMs: undefined };
  return { kind: 'neutral' };
}
