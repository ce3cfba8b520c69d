import type { GatewayError } from '../../core/errors.ts';
import { redactSecrets } from '../../lib/redact.ts';
import type { GeminiErrorBody } from '../../protocols/gemini.ts';
import type { RenderedError } from '../types.ts';

/** HTTP status → google.rpc.Code name, as the Gemini API pairs them. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'RESOURCE_EXHAUSTED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  431: 'INVALID_ARGUMENT',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's status name for an HTTP status (an upstream Gemini error keeps its own). */
export function googleStatusName(error: GatewayError): string {
  const upstream = error.upstreamType;
  if (error.upstreamFormat === 'gemini' && upstream !== undefined && /^[A-Z_]+$/.test(upstream)) return upstream;
  return STATUS_NAMES[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

/** `{"error":{"code","message","status"}}`, the message redacted and ending with the request id. */
export function toGeminiErrorBody(error: GatewayError, requestId: string): GeminiErrorBody {
  return {
    error: {
      code: error.status,
      message: `${redactSecrets(error.message)} (request id: ${requestId})`,
      status: googleStatusName(error),
    },
  };
}

export function renderGeminiError(error: GatewayError, requestId: string): RenderedError {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
  if (error.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  return { status: error.status, headers, body: JSON.stringify(toGeminiErrorBody(error, requestId)) };
}
