import net from 'node:net';

/** What came back on a raw socket: the parsed response (if any) and whether the server closed the connection. */
export interface RawExchange {
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
  /** The server ended or closed the connection within the wait. */
  closedByServer: boolean;
  /** Milliseconds from connect until the server closed it (or the wait ended). */
  ms: number;
}

export interface RawOptions {
  /** Give up (and close from our side) after this long. */
  waitMs: number;
  /** Bytes sent after the head, without ending the request (e.g. a body cut short). */
  body?: string | Buffer;
}

/**
 * Sends `head` (request line and headers, or part of them) on a fresh connection, never finishing
 * the request on its own, and waits until the server closes the connection or `waitMs` passes.
 */
export function rawExchange(url: string, head: string, options: RawOptions): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head);
      if (options.body !== undefined) socket.write(options.body);
    });
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks).toString('utf8')), closedByServer, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), options.waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** An open connection on which nothing is sent (until the caller writes). */
export function openIdleSocket(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the server closes `socket` (true) or after `waitMs` (false). */
export function closedWithin(socket: net.Socket, waitMs: number): Promise<boolean> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('end', done);
    socket.once('close', done);
    socket.once('error', done);
  });
}

/** Collects what `socket` receives until the server closes it or `waitMs` passes. */
export function readUntilClosed(socket: net.Socket, waitMs: number): Promise<RawExchange> {
  const started = Date.now();
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return closedWithin(socket, waitMs).then((closedByServer) => ({
    ...parseResponse(Buffer.concat(chunks).toString('utf8')),
    closedByServer,
    ms: Date.now() - started,
  }));
}

export function parseResponse(text: string): Pick<RawExchange, 'status' | 'headers' | 'body'> {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return { status: undefined, headers: {}, body: '' };
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const rest = text.slice(split + 4);
  const length = Number(headers['content-length']);
  return {
    status: Number.isFinite(status) ? status : undefined,
    headers,
    body: Number.isFinite(length) ? rest.slice(0, length) : rest,
  };
}
