import type { GatewayError } from '../core/errors.ts';
import type { AttemptOutcomeName } from '../store/types.ts';

/** Names how an attempt failed, for metrics and the request detail. */
export function attemptOutcomeName(error: GatewayError): AttemptOutcomeName {
  if (error.code === 'upstream_timeout') return 'timeout';
  if (error.code === 'client_closed' || error.code === 'shutting_down') return 'aborted';
  if (error.code === 'upstream_connect_error' || error.code === 'upstream_bad_response') return 'reset';
  const status = error.upstreamStatus;
  if (status === 429) return '429';
  if (status !== undefined && status >= 500) return '5xx';
  if (status !== undefined && status >= 400) return '4xx';
  return 'error';
}
