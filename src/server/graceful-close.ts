import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { InFlightRequests } from '../gateway/in-flight-requests.ts';

export interface CloseReport {
  /** False when the grace period ran out and connections were cut. */
  complete: boolean;
  /** Requests still in flight when the grace period ran out. */
  cut: number;
}

/** How often idle connections are closed while draining. */
const SWEEP_INTERVAL_MS = 50;
/**
 * After the grace period: time for cut requests to end their responses (an error event, a 503) before
 * connections are destroyed. Together with UNWIND_MS, the most a stop takes beyond `shutdownGraceMs`
 * before the final flush (the default grace period keeps the total under Docker's 10 s).
 */
export const CUT_GRACE_MS = 500;
/** How long to wait, once every connection is closed, for cut requests to unwind and be recorded. */
export const UNWIND_MS = 1000;

/**
 * Knows which client connections have a response in progress. Node's own `closeIdleConnections()`
 * leaves alone a connection on which no request was ever sent (clients open spare ones), and such
 * a connection would hold `server.close()` until the client's keep-alive timer drops it.
 */
export class ConnectionTracker {
  private readonly openResponses = new Map<Socket, number>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.openResponses.set(socket, 0);
      socket.once('close', () => this.openResponses.delete(socket));
    });
    server.on('request', (request, response) => {
      const socket = request.socket;
      this.openResponses.set(socket, (this.openResponses.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const open = this.openResponses.get(socket);
        if (open !== undefined) this.openResponses.set(socket, Math.max(0, open - 1));
      });
    });
  }

  /** A response is in progress on this socket (its owner answers and records errors, not the socket's). */
  hasOpenResponse(socket: Socket): boolean {
    return (this.openResponses.get(socket) ?? 0) > 0;
  }

  /** Closes every connection that has no response in progress. */
  closeIdle(): void {
    for (const [socket, open] of this.openResponses) if (open === 0) socket.destroy();
  }

  closeAll(): void {
    for (const socket of this.openResponses.keys()) socket.destroy();
  }
}

export interface GracefulCloseOptions {
  connections: ConnectionTracker;
  inFlight: InFlightRequests;
  graceMs: number;
  /** Aborted: end the grace period now (a second SIGTERM). */
  hurry?: AbortSignal;
  /** Called when the grace period is over: end the running requests properly (error event, 503). */
  onGraceOver(): void;
}

/**
 * Graceful shutdown of the HTTP side: stop listening at once (new connections are refused, new
 * requests on open keep-alive connections get 503), let in-flight requests and streams finish,
 * closing each connection as soon as it goes idle. After `graceMs` (or as soon as `hurry` aborts) the
 * running requests are cut (`onGraceOver`), and a moment later whatever connection is left is
 * destroyed. Resolves when every connection is closed and every request handler has finished (and
 * recorded its request), or UNWIND_MS after the last connection closed.
 */
export async function closeGracefully(server: FastifyInstance, options: GracefulCloseOptions): Promise<CloseReport> {
  const { connections, inFlight } = options;
  const report: CloseReport = { complete: true, cut: 0 };
  const sweep = setInterval(() => connections.closeIdle(), SWEEP_INTERVAL_MS);
  let destroyLeftovers: NodeJS.Timeout | undefined;
  const endGrace = () => {
    if (destroyLeftovers !== undefined) return;
    clearTimeout(deadline);
    report.complete = false;
    report.cut = inFlight.size;
    options.onGraceOver();
    destroyLeftovers = setTimeout(() => connections.closeAll(), CUT_GRACE_MS);
  };
  const deadline = setTimeout(endGrace, options.graceMs);
  const { hurry } = options;
  if (hurry?.aborted) endGrace();
  else hurry?.addEventListener('abort', endGrace, { once: true });
  try {
    const closed = server.close();
    connections.closeIdle();
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
    clearTimeout(destroyLeftovers);
    hurry?.removeEventListener('abort', endGrace);
  }
  await inFlight.idle(UNWIND_MS);
  return report;
}
