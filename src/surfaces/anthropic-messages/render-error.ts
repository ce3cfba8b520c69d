/**
 * Anthropic's error envelope, `{"type":"error","error":{"type","message"},"request_id"}`, and its
 * status → type vocabulary (invalid_request_error, authentication_error, billing_error,
 * permission_error, not_found_error, request_too_large, rate_limit_error, timeout_error,
 * api_error, overloaded_error). An error an Anthropic upstream reported keeps its own type.
 * Every field is redacted here, whatever its origin: upstream text may echo a credential.
 */
import type { ErrorCode, GatewayError } from '../../core/errors.ts';
import { redactSecrets } from '../../lib/redact.ts';
import type { RenderedError } from '../types.ts';

/** Anthropic's status for an overloaded upstream (the SDKs retry it). */
const OVERLOADED_STATUS = 529;

const BY_CODE: Partial<Record<ErrorCode, string>> = {
  invalid_api_key: 'authentication_error',
  insufficient_quota: 'billing_error',
  permission_denied: 'permission_error',
  model_not_allowed: 'permission_error',
  model_not_priced: 'permission_error',
  model_not_found: 'not_found_error',
  not_found: 'not_found_error',
  payload_too_large: 'request_too_large',
  rate_limit_exceeded: 'rate_limit_error',
  too_many_connections: 'rate_limit_error',
  overloaded: 'overloaded_error',
  upstream_timeout: 'timeout_error',
  request_timeout: 'timeout_error',
};

const BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(error: GatewayError): string {
  if (error.upstreamFormat === 'anthropic-messages' && error.upstreamType) return error.upstreamType;
  return (
    BY_CODE[error.code] ?? BY_STATUS[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error')
  );
}

export function anthropicErrorStatus(error: GatewayError): number {
  return error.code === 'overloaded' ? OVERLOADED_STATUS : error.status;
}

export function anthropicErrorBody(error: GatewayError, requestId: string): string {
  return JSON.stringify({
    type: 'error',
    error: { type: redactSecrets(anthropicErrorType(error)), message: redactSecrets(error.message) },
    request_id: requestId,
  });
}

export function renderAnthropicError(error: GatewayError, requestId: string): RenderedError {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  return { status: anthropicErrorStatus(error), headers, body: anthropicErrorBody(error, requestId) };
}

/** The `error` event that ends a stream already started. */
export function renderAnthropicStreamError(error: GatewayError, requestId: string): string {
  return `event: error\ndata: ${anthropicErrorBody(error, requestId)}\n\n`;
}
