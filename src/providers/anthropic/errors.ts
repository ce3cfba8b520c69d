/**
 * Anthropic errors → GatewayError. Body: `{"type":"error","error":{"type","message"},"request_id"}`;
 * the same payload arrives as a stream `error` event after HTTP 200.
 *
 * The upstream HTTP status is kept (SDKs pick the exception class and retry policy from it), the
 * message and the Anthropic type are kept (secrets redacted), and the type maps to a canonical code:
 *
 *   | Anthropic type        | status | llmux code              |
 *   |-----------------------|--------|-------------------------|
 *   | invalid_request_error | 400    | invalid_request         |
 *   |  "prompt is too long" | 400    | context_length_exceeded |
 *   | authentication_error  | 401    | upstream_auth_failed (502) |
 *   | billing_error         | 402    | insufficient_quota      |
 *   | permission_error      | 403    | upstream_auth_failed (502) |
 *   | not_found_error       | 404    | model_not_found (not_found when not about the model) |
 *   | request_too_large     | 413    | payload_too_large       |
 *   | rate_limit_error      | 429    | rate_limit_exceeded     |
 *   | api_error             | 500    | upstream_error          |
 *   | timeout_error         | 504    | upstream_timeout        |
 *   | overloaded_error      | 529    | overloaded              |
 *
 * A rejected provider key (401, 403) is the operator's problem: 502 `upstream_auth_failed` (upstream-auth.ts).
 * 529 is kept as the status (not rewritten to 503): it is ≥ 500, so SDKs raise their server-error
 * class and retry it, and llmux's own retry policy treats it as retryable.
 */
import { type ErrorCode, GatewayError, isRetryableStatus } from '../../core/errors.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { redactSecrets } from '../../lib/redact.ts';
import { upstreamRetryFacts } from '../../upstream/retry-after.ts';
import type { DeploymentTarget } from '../types.ts';
import { upstreamAuthFailed } from '../upstream-auth.ts';

const WIRE_FORMAT = 'anthropic-messages';

const BY_TYPE: Record<string, { status: number; code: ErrorCode }> = {
  invalid_request_error: { status: 400, code: 'invalid_request' },
  authentication_error: { status: 401, code: 'invalid_api_key' },
  billing_error: { status: 402, code: 'insufficient_quota' },
  permission_error: { status: 403, code: 'permission_denied' },
  not_found_error: { status: 404, code: 'model_not_found' },
  request_too_large: { status: 413, code: 'payload_too_large' },
  rate_limit_error: { status: 429, code: 'rate_limit_exceeded' },
  api_error: { status: 500, code: 'upstream_error' },
  timeout_error: { status: 504, code: 'upstream_timeout' },
  overloaded_error: { status: 529, code: 'overloaded' },
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

/** The canonical code for an Anthropic type (unknown types go by the status). */
function canonicalCode(type: string | undefined, status: number, message: string): ErrorCode {
  const fallbackType = STATUS_TO_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const code =
    (type !== undefined ? BY_TYPE[type] : undefined)?.code ?? BY_TYPE[fallbackType]?.code ?? 'upstream_error';
  if (code === 'invalid_request' && status === 400 && CONTEXT_LENGTH.test(message)) return 'context_length_exceeded';
  if (code === 'model_not_found' && !/\bmodel\b/i.test(message)) return 'not_found';
  return code;
}

/** An upstream error response → GatewayError keeping the upstream status, type and message. */
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
  const secrets = [target.apiKey];
  const message = redactSecrets(rawMessage, secrets);
  const type = typeof error?.type === 'string' ? error.type : undefined;
  const code = canonicalCode(type, status, message);
  // permission_error: "Your API key does not have permission to use the specified resource".
  if (code === 'invalid_api_key' || code === 'permission_denied') {
    return upstreamAuthFailed(target, {
      status,
      message,
      upstreamType: type === undefined ? undefined : redactSecrets(type, secrets),
    });
  }
  return new GatewayError(code, message, {
    status,
    param: code === 'context_length_exceeded' ? 'messages' : null,
    provider: target.providerName,
    upstreamFormat: WIRE_FORMAT,
    upstreamStatus: status,
    upstreamType: type === undefined ? undefined : redactSecrets(type, secrets),
    ...upstreamRetryFacts(status, headers),
  });
}

/**
 * An error payload inside a 200 body or a stream `error` event (e.g. `{"type":"error","error":
 * {"details":null,"type":"overloaded_error","message":"Overloaded"}}`) → GatewayError. Its status
 * is the one the error type has over HTTP (529 for overloaded_error), else `fallbackStatus`.
 */
export function fromAnthropicErrorPayload(payload: Record<string, unknown>, fallbackStatus = 500): GatewayError {
  const error = isRecord(payload.error) ? payload.error : {};
  const type = typeof error.type === 'string' ? error.type : undefined;
  const message = redactSecrets(
    typeof error.message === 'string' && error.message !== '' ? error.message : 'Anthropic stream error',
  );
  const status = (type !== undefined ? BY_TYPE[type]?.status : undefined) ?? fallbackStatus;
  const code = canonicalCode(type, status, message);
  return new GatewayError(code, message, {
    status,
    retryable: isRetryableStatus(status),
    upstreamFormat: WIRE_FORMAT,
    upstreamType: type === undefined ? undefined : redactSecrets(type),
  });
}
