import type { FastifyInstance } from 'fastify';
import type { InFlightRequests } from '../gateway/in-flight-requests.ts';

export interface CloseReport {
  /** False when the grace period ran out and connections were cut. */
  complete: boolean;
  /** Requests still in flight when the grace period ran out. */
  cut: number;
}

/** How often idle keep-alive connections are closed while draining. */
const SWEEP_INTERVAL_MS = 50;
/** How long to wait for cut requests to unwind and be recorded. */
const UNWIND_MS = 2000;

/**
 * Graceful shutdown of the HTTP side: stop listening at once (new connections are refused, new
 * requests on open keep-alive connections get 503), let in-flight requests and streams finish,
 * closing each connection as soon as it goes idle, and after `graceMs` cut what is left. Resolves
 * when every connection is closed and every request handler has finished (and recorded its request).
 */
export async function closeGracefully(server: FastifyInstance, inFlight: InFlightRequests, graceMs: number): Promise<CloseReport> {
  const raw = server.server;
  const report: CloseReport = { complete: true, cut: 0 };
  const sweep = setInterval(() => raw.closeIdleConnections(), SWEEP_INTERVAL_MS);
  const deadline = setTimeout(() => {
    report.complete = false;
    report.cut = inFlight.size;
    raw.closeAllConnections();
  }, graceMs);
  try {
    await server.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  await inFlight.idle(UNWIND_MS);
  return report;
}
