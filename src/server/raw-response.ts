import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { RenderedError } from '../surfaces/types.ts';

/** How long a socket answered outside any request may take to flush before it is destroyed. */
const FLUSH_GRACE_MS = 1000;

/**
 * Answers on a bare socket (no request object: a connection turned away at accept, or Node's own
 * header timeout and parse errors) in the OpenAI envelope, then closes it once the bytes are out.
 */
export function answerAndClose(socket: Socket, rendered: RenderedError, requestId: string): void {
  if (socket.destroyed) return;
  if (socket.writable) {
    const headers: Record<string, string> = {
      ...rendered.headers,
      'content-length': String(Buffer.byteLength(rendered.body)),
      'x-request-id': requestId,
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? ''}\r\n${head}\r\n${rendered.body}`);
  }
  const stuck = setTimeout(() => socket.destroy(), FLUSH_GRACE_MS).unref();
  socket.once('close', () => clearTimeout(stuck));
  socket.once('finish', () => socket.destroy());
}
