/**
 * GatewayError: thrown anywhere, rendered only by surfaces. `code` is stable and listed in
 * ERROR_CATALOGUE; `status` is the HTTP status the client sees.
 */

export const ERROR_CATALOGUE = {
  invalid_api_key: { status: 401, type: 'invalid_request_error', retryable: false },
  invalid_request: { status: 400, type: 'invalid_request_error', retryable: false },
  unsupported_parameter: { status: 400, type: 'invalid_request_error', retryable: false },
  model_not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  model_not_allowed: { status: 403, type: 'invalid_request_error', retryable: false },
  not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  payload_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', retryable: false },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', retryable: true },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false },
  content_policy_violation: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_error: { status: 502, type: 'upstream_error', retryable: true },
  upstream_connect_error: { status: 502, type: 'upstream_error', retryable: true },
  upstream_timeout: { status: 504, type: 'timeout_error', retryable: true },
  upstream_bad_response: { status: 502, type: 'upstream_error', retryable: true },
  /** An upstream body over a configured size cap; not retried (the same request would likely get the same answer). */
  upstream_response_too_large: { status: 502, type: 'upstream_error', retryable: false },
  no_deployment_available: { status: 503, type: 'service_unavailable', retryable: true },
  client_closed: { status: 499, type: 'client_closed', retryable: false },
  shutting_down: { status: 503, type: 'service_unavailable', retryable: true },
  request_timeout: { status: 408, type: 'timeout_error', retryable: true },
  server_busy: { status: 503, type: 'service_unavailable', retryable: true },
  too_many_connections: { status: 429, type: 'rate_limit_error', retryable: true },
  internal_error: { status: 500, type: 'server_error', retryable: false },
} as const satisfies Record<string, { status: number; type: string; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface GatewayErrorOptions {
  /** Overrides the catalogue status (upstream errors keep the upstream status). */
  status?: number;
  /** OpenAI-style error type; defaults from the catalogue. */
  type?: string;
  param?: string | null;
  /** Code shown to the client when it differs from the stable code (e.g. an upstream's own code). */
  wireCode?: string | null;
  retryable?: boolean;
  provider?: string;
  upstreamStatus?: number;
  /** Seconds, as a `retry-after` header value. */
  retryAfter?: string;
  /** The upstream's retry hint in milliseconds (`retry-after-ms`, else `retry-after`), for the retry loop. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly wireCode: string | null;
  readonly retryable: boolean;
  readonly provider: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly retryAfter: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CATALOGUE[code];
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.type = options.type ?? entry.type;
    this.param = options.param ?? null;
    this.wireCode = options.wireCode === undefined ? code : options.wireCode;
    this.retryable = options.retryable ?? entry.retryable;
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfter = options.retryAfter;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** Status codes worth another attempt (possibly on another deployment). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
