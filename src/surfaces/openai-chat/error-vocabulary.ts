/**
 * How a GatewayError reads in OpenAI's words (`type`, `code`, `param`). OpenAI SDKs pick the
 * exception class from the status; `type` and `code` are what programs and people read next.
 */
import type { ErrorCode, GatewayError } from '../../core/errors.ts';

export interface OpenAIErrorFields {
  type: string;
  code: string | null;
  param: string | null;
}

const INVALID = 'invalid_request_error';

/** OpenAI's `type` for each canonical code. */
const OPENAI_TYPE: Record<ErrorCode, string> = {
  invalid_api_key: INVALID,
  invalid_request: INVALID,
  unsupported_parameter: INVALID,
  model_not_found: INVALID,
  model_not_allowed: INVALID,
  not_found: INVALID,
  permission_denied: INVALID,
  insufficient_quota: 'insufficient_quota',
  payload_too_large: INVALID,
  unsupported_media_type: INVALID,
  rate_limit_exceeded: 'rate_limit_error',
  model_not_priced: INVALID,
  limits_unavailable: 'service_unavailable',
  context_length_exceeded: INVALID,
  content_policy_violation: INVALID,
  overloaded: 'server_error',
  upstream_error: 'upstream_error',
  upstream_auth_failed: 'upstream_error',
  upstream_connect_error: 'upstream_error',
  upstream_timeout: 'timeout_error',
  upstream_bad_response: 'upstream_error',
  upstream_response_too_large: 'upstream_error',
  no_deployment_available: 'service_unavailable',
  client_closed: 'client_closed',
  shutting_down: 'service_unavailable',
  request_timeout: 'timeout_error',
  server_busy: 'service_unavailable',
  too_many_connections: 'rate_limit_error',
  internal_error: 'server_error',
};

/** OpenAI's `code` is the canonical code, except here (an unknown URL: OpenAI says `code: null`). */
const OPENAI_CODE: Partial<Record<ErrorCode, string | null>> = { not_found: null };

/**
 * Anthropic's type names are OpenAI's with other meanings (`api_error`, `overloaded_error`), so an
 * Anthropic upstream's errors are translated; its server-side types stay readable as the code.
 */
const FROM_ANTHROPIC: Partial<Record<ErrorCode, { type: string; code: string | null }>> = {
  invalid_request: { type: INVALID, code: null },
  not_found: { type: INVALID, code: 'not_found' },
  payload_too_large: { type: INVALID, code: 'request_too_large' },
  upstream_error: { type: 'server_error', code: 'api_error' },
  upstream_timeout: { type: 'timeout_error', code: 'timeout_error' },
  overloaded: { type: 'server_error', code: 'overloaded_error' },
};

/** Codes OpenAI clients know well enough that they beat a Gemini ErrorInfo reason. */
const OVER_GEMINI_REASON = new Set<ErrorCode>([
  'invalid_api_key',
  'model_not_found',
  'rate_limit_exceeded',
  'context_length_exceeded',
]);

export function openAIErrorCode(code: ErrorCode): string | null {
  const override = OPENAI_CODE[code];
  return override === undefined ? code : override;
}

/**
 * An error llmux raised reads by its canonical code (or its finer `reason`). One an upstream
 * reported keeps what that upstream said where OpenAI clients can read it: an OpenAI-compatible
 * upstream's fields verbatim; Gemini's status (`INVALID_ARGUMENT`, no clash with OpenAI's names)
 * as the type and its ErrorInfo reason as the code; Anthropic's translated.
 */
export function openAIErrorFields(error: GatewayError): OpenAIErrorFields {
  const { code, param } = error;
  switch (error.upstreamFormat) {
    case 'openai-chat':
      return { type: error.upstreamType ?? typeByStatus(error.status), code: error.upstreamCode ?? null, param };
    case 'gemini':
      return {
        type: error.upstreamType ?? typeByStatus(error.status),
        code: OVER_GEMINI_REASON.has(code) ? openAIErrorCode(code) : (error.upstreamCode ?? null),
        param,
      };
    case 'anthropic-messages':
      return { ...(FROM_ANTHROPIC[code] ?? { type: OPENAI_TYPE[code], code: openAIErrorCode(code) }), param };
    default:
      return { type: OPENAI_TYPE[code], code: error.reason ?? openAIErrorCode(code), param };
  }
}

function typeByStatus(status: number): string {
  return status >= 500 ? 'upstream_error' : INVALID;
}
