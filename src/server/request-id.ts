import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const SAFE_CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
let counter = 0;
const prefix = randomBytes(6).toString('hex');

/**
 * A new server-side request id: unique per process, cheap. Never taken from the client, whose
 * `x-request-id` may be absent, reused or chosen to collide with someone else's.
 */
export function newRequestId(): string {
  counter = (counter + 1) % 0x7fffffff;
  return `req_${prefix}${Date.now().toString(36)}${counter.toString(36)}`;
}

/** The caller's own `x-request-id` when well-formed (kept apart from ours, echoed as `x-client-request-id`). */
export function clientRequestIdOf(headers: IncomingHttpHeaders): string | null {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE_CLIENT_ID.test(given) ? given : null;
}
