/**
 * Hand-written HTTP/1.1 over a TCP socket, for what an HTTP client library will not do: declare a
 * body it never sends, trickle it byte by byte, and notice exactly when the server hangs up.
 */
import { connect, type Socket } from 'node:net';
import type { Exchange } from './exchange.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  /** Milliseconds from open to the first response byte, if any came. */
  readonly respondedAfterMs: number | undefined;
  /** Milliseconds from open to the server closing the connection, if it did. */
  readonly closedAfterMs: number | undefined;
  write(data: string | Buffer): boolean;
  /** The first response, once complete (undefined when the connection closes first or after `timeoutMs`). */
  response(timeoutMs: number): Promise<RawResponse | undefined>;
  /** Resolves true once the server closed the connection, false after `timeoutMs`. */
  closed(timeoutMs: number): Promise<boolean>;
  /** Resolves true once what the server sent matches `pattern` (e.g. a `100 Continue`), false after `timeoutMs`. */
  received(pattern: RegExp, timeoutMs: number): Promise<boolean>;
  destroy(): void;
}

/** Parses one response from the start of `bytes` (content-length or chunked), or undefined if incomplete. */
export function parseResponse(received: Buffer): RawResponse | undefined {
  const bytes = skipInterim(received);
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length).toString('utf8') };
  }
  if (headers['transfer-encoding']?.includes('chunked')) {
    const body = dechunk(rest);
    return body === undefined ? undefined : { status, headers, body };
  }
  return undefined;
}

/** Drops leading 1xx responses (`100 Continue`): they have no body. */
function skipInterim(bytes: Buffer): Buffer {
  let rest = bytes;
  while (/^HTTP\/1\.[01] 1\d\d /.test(rest.subarray(0, 13).toString('latin1'))) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return rest;
    rest = rest.subarray(end + 4);
  }
  return rest;
}

function dechunk(bytes: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/** `localAddress` picks the client address (any of 127.0.0.0/8 on Linux), i.e. another client IP. */
export async function openRaw(port: number, localAddress?: string): Promise<RawConnection> {
  const socket = connect({ port, host: '127.0.0.1', ...(localAddress === undefined ? {} : { localAddress }) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const openedAt = performance.now();
  let received = Buffer.alloc(0);
  let respondedAfterMs: number | undefined;
  let closedAfterMs: number | undefined;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  socket.on('data', (chunk: Buffer) => {
    respondedAfterMs ??= performance.now() - openedAt;
    received = Buffer.concat([received, chunk]);
    notify();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closedAfterMs ??= performance.now() - openedAt;
    notify();
  });

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> =>
    new Promise((resolve) => {
      const attempt = (): void => {
        const value = check();
        if (value === undefined && closedAfterMs === undefined) return;
        clearTimeout(timer);
        waiters.delete(attempt);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        resolve(check());
      }, timeoutMs);
      waiters.add(attempt);
      attempt();
    });

  return {
    socket,
    get respondedAfterMs() {
      return respondedAfterMs;
    },
    get closedAfterMs() {
      return closedAfterMs;
    },
    write: (data) => !socket.destroyed && socket.write(data),
    response: (timeoutMs) => waitFor(() => parseResponse(received), timeoutMs),
    received: async (pattern, timeoutMs) =>
      (await waitFor(() => (pattern.test(received.toString('latin1')) ? true : undefined), timeoutMs)) === true,
    closed: async (timeoutMs) =>
      (await waitFor(() => (closedAfterMs === undefined ? undefined : true), timeoutMs)) === true,
    destroy: () => socket.destroy(),
  };
}

/** The request line and headers of a chat completion whose body is sent separately. */
export function chatHead(key: string, contentLength: number, extra = ''): string {
  return (
    'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n' +
    `authorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: ${contentLength}\r\n${extra}\r\n`
  );
}

/** A raw response as a ledger entry (status 0 when none came). */
export function toExchange(label: string, response: RawResponse | undefined): Exchange {
  if (response === undefined) return { label, status: 0, requestId: undefined, headers: {}, body: '' };
  return {
    label,
    status: response.status,
    requestId: response.headers['x-request-id'],
    headers: response.headers,
    body: response.body,
  };
}
