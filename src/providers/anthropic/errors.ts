/**
 * Anthropic errors → GatewayError. Body: `{"type":"error","error":{"type","message"},"request_id"}`;
 * the same payload arrives as a stream `error` event after HTTP 200.
 *
 * The upstream HTTP status is kept (OpenAI SDKs pick the exception class and retry policy from it),
 * the message is kept (secrets redacted), and the Anthropic error type is mapped to the OpenAI
 * type/code clients know:
 *
 *   | Anthropic type        | status | llmux code              | OpenAI type / code                      |
 *   |-----------------------|--------|-------------------------|-----------------------------------------|
 *   | invalid_request_error | 400    | invalid_request         | invalid_request_error / null            |
 *   |  "prompt is too long" | 400    | context_length_exceeded | invalid_request_error / context_length_exceeded |
 *   | authentication_error  | 401    | invalid_api_key         | invalid_request_error / invalid_api_key |
 *   | billing_error         | 402    | invalid_request         | insufficient_quota / insufficient_quota |
 *   | permission_error      | 403    | invalid_request         | invalid_request_error / permission_denied |
 *   | not_found_error       | 404    | model_not_found         | invalid_request_error / model_not_found (not_found when not about the model) |
 *   | request_too_large     | 413    | payload_too_large       | invalid_request_error / request_too_large |
 *   | rate_limit_error      | 429    | rate_limit_exceeded     | rate_limit_error / rate_limit_exceeded   |
 *   | api_error             | 500    | upstream_error          | server_error / api_error                 |
 *   | timeout_error         | 504    | upstream_timeout        | timeout_error / timeout_error            |
 *   | overloaded_error      | 529    | upstream_error          | server_error / overloaded_error          |
 *
 * 529 is kept as the status (not rewritten to 503): it is ≥ 500, so OpenAI SDKs raise their
 * server-error class and retry it, and llmux's own retry policy treats it as retryable.
 * `retry-after` / `retry-after-ms` become `retryAfter`.
 */
import { type ErrorCode, GatewayError, isRetryableStatus } from '../../core/errors.ts';
import type { GatewayErrorShape } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { redactSecrets } from '../../lib/redact.ts';
import { retryAfterSeconds } from '../openai-compatible/errors.ts';
import type { DeploymentTarget } from '../types.ts';

interface Mapping {
  status: number;
  code: ErrorCode;
  type: string;
  wireCode: string | null;
}

const BY_TYPE: Record<string, Mapping> = {
  invalid_request_error: { status: 400, code: 'invalid_request', type: 'invalid_request_error', wireCode: null },
  authentication_error: {
    status: 401,
    code: 'invalid_api_key',
    type: 'invalid_request_error',
    wireCode: 'invalid_api_key',
  },
  billing_error: { status: 402, code: 'invalid_request', type: 'insufficient_quota', wireCode: 'insufficient_quota' },
  permission_error: {
    status: 403,
    code: 'invalid_request',
    type: 'invalid_request_error',
    wireCode: 'permission_denied',
  },
  not_found_error: { status: 404, code: 'model_not_found', type: 'invalid_request_error', wireCode: 'model_not_found' },
  request_too_large: {
    status: 413,
    code: 'payload_too_large',
    type: 'invalid_request_error',
    wireCode: 'request_too_large',
  },
  rate_limit_error: {
    status: 429,
    code: 'rate_limit_exceeded',
    type: 'rate_limit_error',
    wireCode: 'rate_limit_exceeded',
  },
  api_error: { status: 500, code: 'upstream_error', type: 'server_error', wireCode: 'api_error' },
  timeout_error: { status: 504, code: 'upstream_timeout', type: 'timeout_error', wireCode: 'timeout_error' },
  overloaded_error: { status: 529, code: 'upstream_error', type: 'server_error', wireCode: 'overloaded_error' },
};

const STATUS_TO_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Context-window overflows, as Anthropic words them ("prompt is too long: 215000 tokens > 200000 maximum"). */
const CONTEXT_LENGTH = /prompt is too long|exceed(s|ed)? (the )?context (window|limit)|context limit/i;

function mappingFor(type: string | undefined, status: number, message: string): Mapping {
  const fallbackType = STATUS_TO_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const mapping = { ...(BY_TYPE[type ?? fallbackType] ?? BY_TYPE[fallbackType] ?? (BY_TYPE.api_error as Mapping)) };
  if (mapping.code === 'invalid_request' && status === 400 && CONTEXT_LENGTH.test(message)) {
    return { ...mapping, code: 'context_length_exceeded', wireCode: 'context_length_exceeded' };
  }
  if (mapping.code === 'model_not_found' && !/\bmodel\b/i.test(message))
    return { ...mapping, code: 'not_found', wireCode: 'not_found' };
  return mapping;
}

/** An upstream error response → GatewayError keeping the upstream status and message. */
export function parseAnthropicError(
  status: number,
  body: string,
  headers: Record<string, string | string[] | undefined>,
  target: DeploymentTarget,
): GatewayError {
  const parsed = tryParseJson(body);
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  const rawMessage =
    typeof error?.message === 'string' && error.message !== ''
      ? error.message
      : body.trim().slice(0, 500) || `upstream answered HTTP ${status}`;
  const message = redactSecrets(rawMessage, [target.apiKey]);
  const mapping = mappingFor(typeof error?.type === 'string' ? error.type : undefined, status, message);
  const retryAfter = retryAfterSeconds(headers);
  return new GatewayError(mapping.code, message, {
    status,
    type: mapping.type,
    wireCode: mapping.wireCode,
    param: mapping.code === 'context_length_exceeded' ? 'messages' : null,
    retryable: isRetryableStatus(status),
    provider: target.providerName,
    upstreamStatus: status,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  });
}

/** An error payload inside a 200 body or a stream → GatewayError (status from the error type). */
export function fromAnthropicErrorPayload(payload: Record<string, unknown>, fallbackStatus: number): GatewayError {
  const shape = toStreamError(payload, fallbackStatus);
  const mapping = mappingFor(
    isRecord(payload.error) && typeof payload.error.type === 'string' ? payload.error.type : undefined,
    shape.status,
    shape.message,
  );
  return new GatewayError(mapping.code, shape.message, {
    status: shape.status,
    type: mapping.type,
    wireCode: mapping.wireCode,
    retryable: isRetryableStatus(shape.status),
  });
}

/**
 * A stream `error` event (e.g. `{"type":"error","error":{"details":null,"type":"overloaded_error",
 * "message":"Overloaded"}}`) → the canonical stream error. `code` is the OpenAI-facing code
 * (`overloaded_error`, `rate_limit_exceeded`, …), `status` the HTTP status that error type has.
 */
export function toStreamError(payload: Record<string, unknown>, fallbackStatus = 500): GatewayErrorShape {
  const error = isRecord(payload.error) ? payload.error : {};
  const type = typeof error.type === 'string' ? error.type : undefined;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : 'Anthropic stream error';
  const status = (type !== undefined ? BY_TYPE[type]?.status : undefined) ?? fallbackStatus;
  const mapping = mappingFor(type, status, message);
  return { code: mapping.wireCode ?? mapping.code, message: redactSecrets(message), status };
}
