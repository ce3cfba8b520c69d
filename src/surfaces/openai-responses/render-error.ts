/**
 * The Responses API's errors: the OpenAI envelope `{error: {message, type, param, code}}` before a
 * stream starts (the chat surface's vocabulary, kept here because surface folders do not share
 * code), and the `error` event plus `response.failed` after it started (stream renderer).
 * Every field is redacted here, whatever its origin: upstream text may echo a credential.
 */
import type { ErrorCode, GatewayError } from '../../core/errors.ts';
import { redactOptional, redactSecrets } from '../../lib/redact.ts';
import type { RenderedError } from '../types.ts';

export interface ResponsesErrorFields {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

const INVALID = 'invalid_request_error';

const TYPE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  insufficient_quota: 'insufficient_quota',
  rate_limit_exceeded: 'rate_limit_error',
  too_many_connections: 'rate_limit_error',
  upstream_timeout: 'timeout_error',
  request_timeout: 'timeout_error',
  limits_unavailable: 'service_unavailable',
  no_deployment_available: 'service_unavailable',
  shutting_down: 'service_unavailable',
  server_busy: 'service_unavailable',
  client_closed: 'client_closed',
  overloaded: 'server_error',
  internal_error: 'server_error',
};

/** An error an OpenAI-compatible upstream reported keeps its fields; llmux's own read by code. */
export function responsesErrorFields(error: GatewayError): ResponsesErrorFields {
  const message = redactSecrets(error.message);
  const param = redactOptional(error.param);
  if (error.upstreamFormat === 'openai-chat' || error.upstreamFormat === 'openai-responses') {
    return {
      message,
      type: redactSecrets(error.upstreamType ?? typeByStatus(error.status)),
      param,
      code: redactOptional(error.upstreamCode ?? null),
    };
  }
  const type =
    TYPE_BY_CODE[error.code] ?? (error.code.startsWith('upstream_') ? 'upstream_error' : typeByStatus(error.status));
  const code = error.code === 'not_found' ? null : (error.reason ?? error.code);
  return { message, type, param, code: redactOptional(code) };
}

function typeByStatus(status: number): string {
  return status >= 500 ? 'server_error' : INVALID;
}

export function renderResponsesError(error: GatewayError, requestId: string): RenderedError {
  const fields = responsesErrorFields(error);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  const body = { error: { ...fields, message: `${fields.message} (request id: ${requestId})` } };
  return { status: error.status, headers, body: JSON.stringify(body) };
}
