import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { GatewayError } from '../core/errors.ts';
import { tryParseJson } from '../lib/json.ts';
import { bodyTimeout, clientClosedBody, invalidJson, payloadTooLarge, serverBusy } from './errors.ts';

export interface BodyReaderOptions {
  limitBytes: number;
  /** The whole body must arrive within this long after reading starts; 0 = no limit. */
  timeoutMs: number;
}

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * The one content parser: reads the body under the size limit, the body timeout and the in-flight
 * budget, and parses it as JSON whatever the content type says (as OpenAI does). Only the parsed
 * value is kept: the raw bytes and the decoded text become garbage before the request is handled.
 * Bodies sent to an unknown route are read and dropped.
 */
export function createJsonBodyParser(options: BodyReaderOptions) {
  return (request: FastifyRequest, payload: IncomingMessage, done: ParserDone): void => {
    const declared = declaredLength(request.headers);
    if (declared !== undefined && declared > options.limitBytes) {
      done(payloadTooLarge(options.limitBytes));
      return;
    }
    const keep = !request.is404;
    // With a content-length the reservation was taken before the body was read; without one, chunk by chunk.
    const reservation = declared === undefined && keep ? request.bodyReservation : undefined;
    let bytes: BodyBytes | undefined = keep ? new BodyBytes(declared) : undefined;
    let received = 0;
    let settled = false;

    const finish = (error: GatewayError | null, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onAbort);
      payload.off('close', onAbort);
      bytes = undefined;
      done(error, value);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.limitBytes) return finish(payloadTooLarge(options.limitBytes));
      if (reservation && !reservation.tryGrow(chunk.length)) return finish(serverBusy());
      bytes?.push(chunk);
    };
    const onEnd = () => {
      if (!bytes) return finish(null, undefined);
      const text = bytes.text();
      bytes = undefined;
      const parsed = tryParseJson(text);
      finish(parsed === undefined ? invalidJson() : null, parsed);
    };
    const onAbort = () => finish(clientClosedBody());
    const timer =
      options.timeoutMs > 0 ? setTimeout(() => finish(bodyTimeout(options.timeoutMs)), options.timeoutMs) : undefined;

    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onAbort);
    payload.on('close', onAbort);
    payload.resume();
  };
}

/** The declared `content-length`, when there is one (Node has already rejected malformed values). */
export function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || headers['transfer-encoding'] !== undefined) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * The body's bytes. With a known length, one buffer is allocated up front and chunks are copied in
 * as they arrive (the socket's chunks are freed at once, and no concatenated copy is made).
 */
class BodyBytes {
  private readonly whole: Buffer | undefined;
  private readonly chunks: Buffer[] = [];
  private length = 0;

  constructor(declared: number | undefined) {
    this.whole = declared !== undefined && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
  }

  push(chunk: Buffer): void {
    if (this.whole && this.length + chunk.length <= this.whole.length) chunk.copy(this.whole, this.length);
    else this.chunks.push(chunk);
    this.length += chunk.length;
  }

  text(): string {
    if (this.whole && this.chunks.length === 0) return this.whole.toString('utf8', 0, this.length);
    const parts = this.whole ? [this.whole.subarray(0, this.length - sum(this.chunks)), ...this.chunks] : this.chunks;
    return (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)).toString('utf8');
  }
}

function sum(chunks: Buffer[]): number {
  return chunks.reduce((total, chunk) => total + chunk.length, 0);
}
