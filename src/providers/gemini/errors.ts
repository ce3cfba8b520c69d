import { type ErrorCode, GatewayError } from '../../core/errors.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { redactSecrets } from '../../lib/redact.ts';
import { upstreamRetryFacts } from '../../upstream/retry-after.ts';
import type { DeploymentTarget } from '../types.ts';
import { upstreamAuthFailed } from '../upstream-auth.ts';

type Headers = Record<string, string | string[] | undefined>;

/**
 * A Gemini error (google.rpc.Status: `{error: {code, message, status, details}}`) → GatewayError,
 * keeping the upstream status and message. Bodies may also come wrapped in a JSON array (the
 * stream endpoint without alt=sse), as an SSE `data:` line, or as a bare JSON error on an
 * `alt=sse` endpoint that announced `text/event-stream` (js-genai recording).
 *
 * - 400 INVALID_ARGUMENT with ErrorInfo reason API_KEY_INVALID (Gemini's answer to a bad key),
 *   401 UNAUTHENTICATED and 403 PERMISSION_DENIED about the key or project (not about a file or a
 *   cached content the request named) → 502 `upstream_auth_failed`: the operator's key, not the client's.
 * - 404 NOT_FOUND → `model_not_found`. Other 403s stay 403 (`permission_denied`).
 * - 429 RESOURCE_EXHAUSTED → `rate_limit_exceeded`; RetryInfo.retryDelay ("47s") is the retry hint
 *   (a `retry-after` header, when present, wins).
 * - 5xx stay as they are and are retryable (503 `overloaded`, 504 `upstream_timeout`); statuses
 *   outside 400-599 (499 CANCELLED) become 502.
 * - `upstreamType` is Gemini's status (INVALID_ARGUMENT, …), `upstreamCode` the ErrorInfo reason.
 *   API keys are redacted from every field (they can appear in URLs).
 */
export function parseGeminiError(
  status: number,
  body: string,
  headers: Headers,
  target: DeploymentTarget,
): GatewayError {
  return fromGeminiErrorPayload(parseErrorBody(body), status, target, headers, body);
}

export function fromGeminiErrorPayload(
  payload: unknown,
  httpStatus: number,
  target: DeploymentTarget,
  headers: Headers = {},
  rawBody = '',
): GatewayError {
  const error = errorObject(payload);
  const upstreamStatus = typeof error?.code === 'number' && httpStatus < 400 ? error.code : httpStatus;
  const rpcStatus = typeof error?.status === 'string' ? error.status : undefined;
  const details = Array.isArray(error?.details) ? error.details.filter(isRecord) : [];
  const reason = details.find((d) => String(d['@type']).endsWith('google.rpc.ErrorInfo'))?.reason;
  const rawMessage =
    typeof error?.message === 'string' && error.message
      ? error.message
      : rawBody.trim().slice(0, 500) || `upstream answered HTTP ${upstreamStatus}`;
  const secrets = [target.apiKey];
  const message = redactSecrets(rawMessage, secrets).replace(/\b(key=)[^&\s"')]+/gi, '$1[redacted]');
  const keyInvalid = reason === 'API_KEY_INVALID' || upstreamStatus === 401 || rpcStatus === 'UNAUTHENTICATED';
  const keyRefused =
    upstreamStatus === 403 && rpcStatus === 'PERMISSION_DENIED' && !REQUESTED_RESOURCE.test(rawMessage);
  if (keyInvalid || keyRefused) {
    return upstreamAuthFailed(target, {
      status: upstreamStatus,
      message,
      upstreamType: rpcStatus === undefined ? undefined : redactSecrets(rpcStatus, secrets),
      upstreamCode: typeof reason === 'string' ? redactSecrets(reason, secrets) : undefined,
    });
  }
  const status = upstreamStatus >= 400 && upstreamStatus <= 599 && upstreamStatus !== 499 ? upstreamStatus : 502;
  const retry = upstreamRetryFacts(status, headers);
  return new GatewayError(canonicalCode(status, message), message, {
    status,
    provider: target.providerName,
    upstreamFormat: 'gemini',
    upstreamStatus,
    upstreamType: rpcStatus === undefined ? undefined : redactSecrets(rpcStatus, secrets),
    // The ErrorInfo reason is the upstream's text too: it may echo the key like the message.
    upstreamCode: typeof reason === 'string' ? redactSecrets(reason, secrets) : undefined,
    retryable: retry.retryable,
    retryAfterMs: retry.retryAfterMs ?? retryDelayMs(details),
  });
}

/** A 403 about something the request named ("You do not have permission to access the File …"). */
const REQUESTED_RESOURCE = /permission to access (the )?(file|cached ?content|tuned ?model|corpus)/i;

function canonicalCode(status: number, message: string): ErrorCode {
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'model_not_found';
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 503) return 'overloaded';
  if (status === 504) return 'upstream_timeout';
  if (status >= 500) return 'upstream_error';
  if (/exceeds the maximum number of tokens|input token count .* exceeds/i.test(message))
    return 'context_length_exceeded';
  return 'invalid_request';
}

/** RetryInfo.retryDelay is a google.protobuf.Duration in JSON form: "47s", "1.5s". */
function retryDelayMs(details: Array<Record<string, unknown>>): number | undefined {
  const info = details.find((d) => String(d['@type']).endsWith('google.rpc.RetryInfo'));
  const delay = info?.retryDelay;
  const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match ? Number(match[1]) * 1000 : undefined;
}

function parseErrorBody(body: string): unknown {
  const trimmed = body.trim();
  const direct = tryParseJson(trimmed);
  if (direct !== undefined) return direct;
  const data = trimmed
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .join('\n');
  return data ? tryParseJson(data) : undefined;
}

/** The `error` object of a payload: `{error}`, `[{error}]`, or undefined. */
export function errorObject(payload: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(payload) ? payload[0] : payload;
  return isRecord(first) && isRecord(first.error) ? first.error : undefined;
}
