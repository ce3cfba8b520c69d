/**
 * Maps undici and socket errors to GatewayErrors. Messages name the upstream origin and say what
 * went wrong in words; they never include the path, query, headers or body (keys live there).
 */
import { GatewayError } from '../core/errors.ts';
import { connectTimeoutError, headersTimeoutError, idleTimeoutError } from './timeouts.ts';
import type { UpstreamTimeouts } from './types.ts';

export interface UpstreamErrorContext {
  origin: string;
  timeouts: UpstreamTimeouts;
  /** 'headers' until response headers arrived, then 'body'. */
  phase: 'headers' | 'body';
}

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EAI_FAIL: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'address not available',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed while sending the request',
};

const MID_RESPONSE_FAILURES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_ABORTED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
]);

const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

export function toUpstreamError(error: unknown, context: UpstreamErrorContext): GatewayError {
  if (error instanceof GatewayError) return error;
  const { origin, timeouts, phase } = context;
  const code = errorCode(error);
  const options = { cause: error };

  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return connectTimeoutError(origin, timeouts.connectMs, error);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return headersTimeoutError(origin, timeouts.firstByteMs, error);
    case 'UND_ERR_BODY_TIMEOUT':
      return idleTimeoutError(origin, timeouts.idleMs, error);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new GatewayError('upstream_bad_response', `upstream ${origin} sent oversized response headers`, options);
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return new GatewayError('shutting_down', `upstream client for ${origin} is closed`, options);
    case 'UND_ERR_INVALID_ARG':
      return new GatewayError('internal_error', `invalid upstream request for ${origin}`, options);
    default:
      break;
  }

  if (phase === 'body' && code !== undefined && MID_RESPONSE_FAILURES.has(code)) {
    return new GatewayError('upstream_bad_response', `upstream connection closed mid-response (${origin})`, options);
  }
  if (code === 'UND_ERR_SOCKET') {
    return new GatewayError(
      'upstream_bad_response',
      `upstream ${origin} closed the connection before sending response headers`,
      options,
    );
  }
  if (code !== undefined) {
    const why = CONNECT_FAILURES[code] ?? (TLS_CODE.test(code) ? 'TLS handshake failed' : undefined);
    if (why !== undefined) {
      return new GatewayError(
        'upstream_connect_error',
        `cannot connect to upstream ${origin}: ${why} (${code})`,
        options,
      );
    }
    if (code.startsWith('HPE_')) {
      return new GatewayError('upstream_bad_response', `upstream ${origin} sent an invalid HTTP response`, options);
    }
  }
  const what = code ?? (error instanceof Error ? error.name : typeof error);
  return phase === 'body'
    ? new GatewayError('upstream_bad_response', `upstream response from ${origin} failed (${what})`, options)
    : new GatewayError('upstream_bad_response', `upstream request to ${origin} failed (${what})`, options);
}

/** The error's `code`, or the first inner error's for an AggregateError (multi-address connect). */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}
