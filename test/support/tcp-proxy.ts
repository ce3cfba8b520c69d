/**
 * A TCP proxy in front of a real server (Redis) that a test can break on purpose: stall it (bytes
 * from clients are swallowed, nothing is answered) or take it down (connections dropped, new ones
 * refused) and bring it back on the same port.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Client connections open now. */
  readonly openConnections: number;
  stall(): void;
  /** Drops every connection and stops listening. */
  down(): Promise<void>;
  /** Listens again on the same port and forwards normally. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  let port = 0;
  let server: Server | undefined;

  const listen = async (): Promise<void> => {
    stalled = false;
    const next = createServer((client) => {
      const upstream = tcpConnect(targetPort, targetHost);
      sockets.add(client);
      sockets.add(upstream);
      client.on('data', (chunk) => {
        if (!stalled) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!stalled) client.write(chunk);
      });
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      for (const socket of [client, upstream]) {
        socket.on('close', end);
        socket.on('error', end);
      }
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    const address = next.address();
    if (address && typeof address === 'object') port = address.port;
    server = next;
  };

  const down = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get openConnections() {
      // Each client connection is paired with one upstream socket.
      return sockets.size / 2;
    },
    stall: () => {
      stalled = true;
    },
    down,
    up: listen,
    close: down,
  };
}
