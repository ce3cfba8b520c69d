import { type ErrorCode, GatewayError, isRetryableStatus } from '../../core/errors.ts';
import { headerValue, isRecord, tryParseJson } from '../../lib/json.ts';
import { redactOptional, redactSecrets } from '../../lib/redact.ts';
import type { DeploymentTarget } from '../types.ts';

/** Upstream error body → GatewayError with the upstream status, message, type, param and code kept. */
export function parseOpenAIError(
  status: number,
  body: string,
  headers: Record<string, string | string[] | undefined>,
  target: DeploymentTarget,
): GatewayError {
  const parsed = tryParseJson(body);
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : isRecord(parsed) ? parsed : undefined;
  const rawMessage =
    typeof error?.message === 'string'
      ? error.message
      : body.trim().slice(0, 500) || `upstream answered HTTP ${status}`;
  const wireCode = typeof error?.code === 'string' ? error.code : null;
  // Every field the upstream wrote is shown to the client: an upstream may echo the key in any of them.
  const secrets = [target.apiKey];
  const options = {
    status,
    type: redactSecrets(
      typeof error?.type === 'string' ? error.type : status >= 500 ? 'upstream_error' : 'invalid_request_error',
      secrets,
    ),
    param: typeof error?.param === 'string' ? redactSecrets(error.param, secrets) : null,
    wireCode: redactOptional(wireCode, secrets),
    provider: target.providerName,
    upstreamStatus: status,
    retryable: isRetryableStatus(status),
  };
  const retryAfter = retryAfterSeconds(headers);
  if (retryAfter !== undefined) Object.assign(options, { retryAfter });
  return new GatewayError(codeFor(status, wireCode), redactSecrets(rawMessage, secrets), options);
}

function codeFor(status: number, wireCode: string | null): ErrorCode {
  if (wireCode === 'context_length_exceeded') return 'context_length_exceeded';
  if (wireCode === 'content_policy_violation' || wireCode === 'content_filter') return 'content_policy_violation';
  if (status === 404) return 'model_not_found';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'upstream_error';
  return 'invalid_request';
}

/** `retry-after-ms` wins over `retry-after`; both are returned as whole seconds. */
export function retryAfterSeconds(headers: Record<string, string | string[] | undefined>): string | undefined {
  const ms = Number(headerValue(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return String(Math.ceil(ms / 1000));
  const value = headerValue(headers, 'retry-after');
  return value === undefined || value === '' ? undefined : value;
}
