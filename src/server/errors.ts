import { GatewayError } from '../core/errors.ts';
import { asGatewayError } from '../gateway/as-gateway-error.ts';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Any thrown value → GatewayError. Framework errors keep their 4xx meaning; the rest goes through `asGatewayError`. */
export function toGatewayError(error: unknown, bodyLimitBytes: number): GatewayError {
  const e = (error ?? {}) as FastifyLikeError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(bodyLimitBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', 'Unsupported content type; send application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJson();
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new GatewayError('invalid_request', e.message ?? 'Bad request.', { status: e.statusCode });
  }
  return asGatewayError(error);
}

export function invalidJson(): GatewayError {
  return new GatewayError(
    'invalid_request',
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
    { param: 'body', reason: 'invalid_json' },
  );
}

export function invalidApiKey(): GatewayError {
  return new GatewayError(
    'invalid_api_key',
    'Incorrect API key provided. Send your llmux key as `Authorization: Bearer <key>`.',
  );
}

export function payloadTooLarge(bodyLimitBytes: number): GatewayError {
  return new GatewayError(
    'payload_too_large',
    `Request body is larger than the limit of ${Math.round(bodyLimitBytes / 1048576)} MB.`,
    { param: 'body' },
  );
}

export function bodyTimeout(timeoutMs: number): GatewayError {
  return new GatewayError(
    'request_timeout',
    `The request body did not arrive within ${timeoutMs} ms (server.bodyTimeoutMs).`,
    { param: 'body' },
  );
}

/** Node's own timeout: headers (`server.headersTimeoutMs`), or a body no parser was reading. */
export function headersTimeout(): GatewayError {
  return new GatewayError('request_timeout', 'The request did not arrive in time (server.headersTimeoutMs).');
}

export function serverBusy(): GatewayError {
  return new GatewayError(
    'server_busy',
    'llmux is holding too many request bodies in memory (server.maxInflightBodyMb); retry shortly.',
    { retryAfterMs: 1000 },
  );
}

export function tooManyUnauthenticated(): GatewayError {
  return new GatewayError(
    'too_many_connections',
    'Too many unauthenticated connections from this address (server.maxUnauthenticatedPerIp).',
    { retryAfterMs: 1000 },
  );
}

export function clientClosedBody(): GatewayError {
  return new GatewayError('client_closed', 'The client closed the connection before sending the whole body.');
}
