import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionGuardOptions {
  /** Open connections in all (Node's `server.maxConnections`; beyond it new ones are dropped); 0 = no cap. */
  maxConnections: number;
  /** Open connections from one address on which no request has authenticated yet; 0 = no cap. */
  maxUnauthenticatedPerIp: number;
  /** A connection over the per-address cap: answer and close it (the guard stops tracking it). */
  onOverIpCap(socket: Socket, ip: string): void;
  /** Connections dropped at the `maxConnections` cap since the last call (at most one call a second). */
  onDropped(count: number): void;
}

interface SocketState {
  ip: string;
  authenticated: boolean;
}

const DROP_REPORT_INTERVAL_MS = 1000;

/**
 * Bounds what clients can hold open before proving a key: file descriptors are the resource that
 * slow or idle unauthenticated sockets exhaust. Every connection counts as unauthenticated for its
 * address until a request on it presents a valid key.
 */
export class ConnectionGuard {
  private readonly sockets = new WeakMap<Socket, SocketState>();
  private readonly rejected = new WeakSet<Socket>();
  private readonly unauthenticatedByIp = new Map<string, number>();
  private dropped = 0;
  private dropTimer: NodeJS.Timeout | undefined;

  constructor(
    server: Server,
    private readonly options: ConnectionGuardOptions,
  ) {
    if (options.maxConnections > 0) server.maxConnections = options.maxConnections;
    server.on('drop', () => this.countDrop());
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  /** A request on this socket presented a valid key: the connection no longer counts against its address. */
  authenticated(socket: Socket): void {
    const state = this.sockets.get(socket);
    if (!state || state.authenticated) return;
    state.authenticated = true;
    this.release(state.ip);
  }

  /** The socket was answered and is being closed at connect time: requests parsed on it must be ignored. */
  isRejected(socket: Socket): boolean {
    return this.rejected.has(socket);
  }

  unauthenticatedFrom(ip: string): number {
    return this.unauthenticatedByIp.get(ip) ?? 0;
  }

  private admit(socket: Socket): void {
    const ip = addressOf(socket);
    const pending = this.unauthenticatedByIp.get(ip) ?? 0;
    if (this.options.maxUnauthenticatedPerIp > 0 && pending >= this.options.maxUnauthenticatedPerIp) {
      this.rejected.add(socket);
      this.options.onOverIpCap(socket, ip);
      return;
    }
    const state: SocketState = { ip, authenticated: false };
    this.sockets.set(socket, state);
    this.unauthenticatedByIp.set(ip, pending + 1);
    socket.once('close', () => {
      if (!state.authenticated) this.release(ip);
    });
  }

  private release(ip: string): void {
    const pending = (this.unauthenticatedByIp.get(ip) ?? 1) - 1;
    if (pending > 0) this.unauthenticatedByIp.set(ip, pending);
    else this.unauthenticatedByIp.delete(ip);
  }

  private countDrop(): void {
    this.dropped++;
    this.dropTimer ??= setTimeout(() => {
      this.dropTimer = undefined;
      const count = this.dropped;
      this.dropped = 0;
      this.options.onDropped(count);
    }, DROP_REPORT_INTERVAL_MS).unref();
  }
}

/** The peer address, IPv4-mapped IPv6 written as plain IPv4. */
export function addressOf(socket: Socket): string {
  const address = socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
