/**
 * GatewayError: thrown anywhere, rendered only by surfaces, each in its own vocabulary. `code` is
 * stable and listed in ERROR_CATALOGUE; `status` is the HTTP status the client sees. Nothing here
 * is in any one API's words: the upstream's own type and code ride along as `upstreamType` /
 * `upstreamCode`, and a surface decides what its clients see.
 */

export const ERROR_CATALOGUE = {
  invalid_api_key: { status: 401, retryable: false },
  invalid_request: { status: 400, retryable: false },
  unsupported_parameter: { status: 400, retryable: false },
  model_not_found: { status: 404, retryable: false },
  model_not_allowed: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  /** The upstream refused what was asked (a model, a feature) for the operator's account. */
  permission_denied: { status: 403, retryable: false },
  /** The operator's upstream account is out of credit or quota. */
  insufficient_quota: { status: 402, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  rate_limit_exceeded: { status: 429, retryable: true },
  /** A budgeted key asked for a model with no price while `pricing.unpriced` is deny. */
  model_not_priced: { status: 403, retryable: false },
  /** The shared limits store (Redis) cannot be reached and `limits.onStoreError` is closed. */
  limits_unavailable: { status: 503, retryable: true },
  context_length_exceeded: { status: 400, retryable: false },
  content_policy_violation: { status: 400, retryable: false },
  /** The upstream says it has no capacity right now (Anthropic 529, Gemini 503 UNAVAILABLE). */
  overloaded: { status: 503, retryable: true },
  upstream_error: { status: 502, retryable: true },
  /**
   * The upstream refused llmux's own credentials for a provider (its 401, or a 403 about the key):
   * the operator's problem, not the client's. Retried on another deployment, never the same one.
   */
  upstream_auth_failed: { status: 502, retryable: true },
  upstream_connect_error: { status: 502, retryable: true },
  upstream_timeout: { status: 504, retryable: true },
  upstream_bad_response: { status: 502, retryable: true },
  /** An upstream body over a configured size cap; not retried (the same request would likely get the same answer). */
  upstream_response_too_large: { status: 502, retryable: false },
  no_deployment_available: { status: 503, retryable: true },
  client_closed: { status: 499, retryable: false },
  shutting_down: { status: 503, retryable: true },
  request_timeout: { status: 408, retryable: true },
  server_busy: { status: 503, retryable: true },
  too_many_connections: { status: 429, retryable: true },
  internal_error: { status: 500, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface GatewayErrorOptions {
  /** Overrides the catalogue status (upstream errors keep the upstream status). */
  status?: number;
  param?: string | null;
  /**
   * What exactly is wrong with `param`, finer than the code (`invalid_value`, `invalid_type`,
   * `missing_required_parameter`, `empty_array`, `invalid_json`), for clients that branch on it.
   */
  reason?: string | undefined;
  retryable?: boolean;
  provider?: string | undefined;
  /** The wire format the upstream spoke (a provider adapter's `wireFormat`), for errors it reported. */
  upstreamFormat?: string | undefined;
  upstreamStatus?: number | undefined;
  /** The upstream's own error type, as it sent it (secrets redacted). */
  upstreamType?: string | undefined;
  /** The upstream's own error code, as it sent it (secrets redacted). */
  upstreamCode?: string | undefined;
  /** How long the client (or the retry loop) should wait before trying again, in ms. */
  retryAfterMs?: number | undefined;
  /** Response headers the answer carries whatever the surface (e.g. `x-ratelimit-*`). */
  headers?: Readonly<Record<string, string>> | undefined;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly reason: string | undefined;
  readonly retryable: boolean;
  readonly provider: string | undefined;
  readonly upstreamFormat: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly upstreamType: string | undefined;
  readonly upstreamCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CATALOGUE[code];
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.param = options.param ?? null;
    this.reason = options.reason;
    this.retryable = options.retryable ?? entry.retryable;
    this.provider = options.provider;
    this.upstreamFormat = options.upstreamFormat;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamType = options.upstreamType;
    this.upstreamCode = options.upstreamCode;
    this.retryAfterMs = options.retryAfterMs;
    this.headers = options.headers;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** Status codes worth another attempt (possibly on another deployment). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
