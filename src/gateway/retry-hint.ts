import { GatewayError, type GatewayErrorOptions } from '../core/errors.ts';
import { retryHintFromHeaders } from '../routing/retry-policy.ts';

/**
 * Adds the upstream's retry hint (ms precision, `retry-after-ms` first) to an error an adapter
 * parsed from an upstream response, so that every provider gets the same retry timing.
 */
export function withRetryHint(
  error: GatewayError,
  headers: Record<string, string | string[] | undefined>,
): GatewayError {
  if (error.retryAfterMs !== undefined) return error;
  const hintMs = retryHintFromHeaders(headers);
  if (hintMs === undefined) return error;
  const options: GatewayErrorOptions = {
    status: error.status,
    type: error.type,
    param: error.param,
    wireCode: error.wireCode,
    retryable: error.retryable,
    retryAfterMs: hintMs,
    retryAfter: error.retryAfter ?? String(Math.ceil(hintMs / 1000)),
  };
  if (error.provider !== undefined) options.provider = error.provider;
  if (error.upstreamStatus !== undefined) options.upstreamStatus = error.upstreamStatus;
  if (error.cause !== undefined) options.cause = error.cause;
  return new GatewayError(error.code, error.message, options);
}
