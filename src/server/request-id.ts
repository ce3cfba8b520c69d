import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
let counter = 0;
const prefix = randomBytes(6).toString('hex');

/** Keeps a caller's well-formed `x-request-id`, else makes one: unique per process, cheap. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  if (typeof given === 'string' && SAFE_ID.test(given)) return given;
  counter = (counter + 1) % 0x7fffffff;
  return `req_${prefix}${Date.now().toString(36)}${counter.toString(36)}`;
}
