import { GatewayError } from '../core/errors.ts';
import { FrameTooLargeError } from '../lib/frame-too-large.ts';
import { headerValue } from '../lib/json.ts';
import type { UpstreamResponse } from '../upstream/types.ts';

const MIB = 1024 * 1024;

/**
 * Reads a whole (non-streaming) upstream body into one Buffer, at most `limits.maxResponseBytes`.
 * Past that (or when `content-length` already says so) the body is released unread and
 * `upstream_response_too_large` is thrown.
 */
export async function readAll(upstream: UpstreamResponse): Promise<Buffer> {
  const max = upstream.limits.maxResponseBytes;
  const declared = Number(headerValue(upstream.headers, 'content-length'));
  if (declared > max) {
    upstream.discard();
    throw responseTooLarge('response body', max, 'server.maxUpstreamResponseMb');
  }
  const chunks: Buffer[] = [];
  let length = 0;
  // Throwing inside the loop ends the iteration, which releases the body.
  for await (const chunk of upstream.body) {
    length += chunk.length;
    if (length > max) throw responseTooLarge('response body', max, 'server.maxUpstreamResponseMb');
    chunks.push(chunk);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, length);
}

/** An oversized stream event becomes `upstream_response_too_large`; anything else is returned as is. */
export function asTooLargeError(error: unknown): unknown {
  return error instanceof FrameTooLargeError
    ? responseTooLarge('stream event', error.limitBytes, 'server.maxUpstreamEventMb', error)
    : error;
}

function responseTooLarge(what: string, limitBytes: number, setting: string, cause?: unknown): GatewayError {
  const mib = Math.round((limitBytes / MIB) * 100) / 100;
  return new GatewayError(
    'upstream_response_too_large',
    `upstream ${what} larger than ${mib} MiB (${setting}); the rest was not read`,
    { cause },
  );
}
