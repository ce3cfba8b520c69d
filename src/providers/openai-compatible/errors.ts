import { type ErrorCode, GatewayError } from '../../core/errors.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { redactOptional, redactSecrets } from '../../lib/redact.ts';
import { upstreamRetryFacts } from '../../upstream/retry-after.ts';
import type { DeploymentTarget } from '../types.ts';
import { upstreamAuthFailed } from '../upstream-auth.ts';

/**
 * An OpenAI-style error body (`{error: {message, type, param, code}}`) → GatewayError with a
 * canonical code; the upstream's status, message, type, param and code are kept as it sent them.
 */
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
  const upstreamCode = typeof error?.code === 'string' ? error.code : undefined;
  // Every field the upstream wrote may reach the client: an upstream may echo the key in any of them.
  const secrets = [target.apiKey];
  const upstreamType = typeof error?.type === 'string' ? redactSecrets(error.type, secrets) : undefined;
  // A 401 is always about the key (OpenAI `invalid_api_key`, Azure "Access denied"); a 403 is often
  // about what was asked (a model, a region), so it stays the client's answer.
  if (status === 401) {
    return upstreamAuthFailed(target, {
      status,
      message: redactSecrets(rawMessage, secrets),
      upstreamType,
      upstreamCode: upstreamCode === undefined ? undefined : redactSecrets(upstreamCode, secrets),
    });
  }
  return new GatewayError(canonicalCode(status, upstreamCode), redactSecrets(rawMessage, secrets), {
    status,
    param: redactOptional(typeof error?.param === 'string' ? error.param : null, secrets),
    provider: target.providerName,
    upstreamFormat: 'openai-chat',
    upstreamStatus: status,
    upstreamType,
    upstreamCode: upstreamCode === undefined ? undefined : redactSecrets(upstreamCode, secrets),
    ...upstreamRetryFacts(status, headers),
  });
}

function canonicalCode(status: number, upstreamCode: string | undefined): ErrorCode {
  if (upstreamCode === 'context_length_exceeded') return 'context_length_exceeded';
  if (upstreamCode === 'content_policy_violation' || upstreamCode === 'content_filter')
    return 'content_policy_violation';
  if (upstreamCode === 'insufficient_quota') return 'insufficient_quota';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'model_not_found';
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 504) return 'upstream_timeout';
  if (status >= 500) return 'upstream_error';
  return 'invalid_request';
}
