import { randomFillSync } from 'node:crypto';

/** A parsed W3C `traceparent` (version 00). */
export interface ParentContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
/** Longest `tracestate` passed on (the W3C limit is 32 members of at most 256 characters). */
const MAX_TRACESTATE_CHARS = 512;

/**
 * The caller's context, or undefined when the header is absent or invalid (then the request starts a
 * new trace, as W3C Trace Context asks). A future version's extra fields are ignored.
 */
export function parseTraceparent(header: string | string[] | undefined): ParentContext | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The caller's `tracestate`, kept only when it is a plausible, bounded header. */
export function cleanTracestate(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_TRACESTATE_CHARS || !/^[\x20-\x7e]*$/.test(trimmed)) return null;
  return trimmed;
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/** Random bytes are drawn in blocks: one syscall-free hex id per span instead of a crypto call each. */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  // All-zero ids are invalid; with 64 random bits this never happens in practice, but stay correct.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

export function newTraceId(): string {
  return randomHex(16);
}

export function newSpanId(): string {
  return randomHex(8);
}
