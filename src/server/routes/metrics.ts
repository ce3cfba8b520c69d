import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import type { GatewayMetrics } from '../../observability/metrics.ts';
import { addressOf } from '../connection-guard.ts';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpoint {
  metrics: GatewayMetrics;
  /** `server.metricsKey`: when set, a scrape must present it as a Bearer token; unset = loopback clients only. */
  key: string | undefined;
}

/** Headers a reverse proxy adds: behind one on the same host, every client would look like loopback. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * `GET /metrics` in Prometheus text format. The server's client-key check skips it; its own check
 * runs here, and a refusal goes through the server's error handler like any rejection (OpenAI
 * envelope, rejection log, request-log row).
 */
export function registerMetricsRoute(app: FastifyInstance, endpoint: MetricsEndpoint): void {
  const expected = endpoint.key === undefined ? undefined : sha256(endpoint.key);
  app.get(METRICS_PATH, async (request, reply) => {
    if (expected === undefined) refuseUnlessLoopback(request);
    else {
      const presented = bearerToken(request);
      if (presented === undefined || !timingSafeEqual(sha256(presented), expected)) throw invalidMetricsKey();
    }
    const body = await endpoint.metrics.render();
    reply.header('content-type', endpoint.metrics.contentType).header('cache-control', 'no-store');
    return body;
  });
}

/** The socket's own peer address decides (never a forwarded header); a proxied request is refused. */
function refuseUnlessLoopback(request: FastifyRequest): void {
  const forwarded = PROXY_HEADERS.find((name) => request.headers[name] !== undefined);
  if (forwarded !== undefined) {
    throw new GatewayError(
      'permission_denied',
      `GET /metrics came through a proxy (${forwarded} header): without server.metricsKey it answers direct loopback clients only. Set server.metricsKey and scrape with it as a Bearer token.`,
    );
  }
  if (!isLoopback(addressOf(request.raw.socket))) {
    throw new GatewayError(
      'permission_denied',
      'GET /metrics answers loopback clients only while server.metricsKey is unset. Set server.metricsKey and scrape with it as a Bearer token.',
    );
  }
}

/** 127.0.0.0/8 and ::1, also written IPv4-mapped (`::ffff:127.0.0.1`). */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

function invalidMetricsKey(): GatewayError {
  return new GatewayError(
    'invalid_api_key',
    'Incorrect metrics key provided. Send server.metricsKey as `Authorization: Bearer <key>`.',
  );
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Equal-length digests, so the comparison takes the same time whatever was presented. */
function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
