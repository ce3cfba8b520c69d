/**
 * One request the suite made and what came back, classified by the rule of issue 12: every answer
 * to bad input or an upstream fault is a 4xx/5xx in the OpenAI envelope (or, once a stream has
 * started, an SSE error event), never a 200 with an error inside.
 */
import assert from 'node:assert/strict';

export interface Exchange {
  label: string;
  /** 0 when no HTTP response came back (the server closed the connection). */
  status: number;
  /** The `x-request-id` the server answered with. */
  requestId: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Verdict =
  | { kind: 'success' }
  | { kind: 'error-envelope'; error: OpenAIError }
  | { kind: 'stream-error'; error: OpenAIError }
  | { kind: 'no-response' }
  | { kind: 'broken'; why: string };

export interface OpenAIError {
  message: string;
  type: unknown;
  param: unknown;
  code: unknown;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asOpenAIError(value: unknown): OpenAIError | undefined {
  const error = record(record(value)?.error);
  if (error === undefined || typeof error.message !== 'string' || error.message.length === 0) return undefined;
  return { message: error.message, type: error.type, param: error.param, code: error.code };
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(body: string): string[] {
  const out: string[] = [];
  for (const frame of body.split(/\r?\n\r?\n/)) {
    const lines = frame.split(/\r?\n/).filter((line) => line.startsWith('data:'));
    if (lines.length > 0) out.push(lines.map((line) => line.slice(5).replace(/^ /, '')).join('\n'));
  }
  return out;
}

const contentType = (exchange: Exchange): string => String(exchange.headers['content-type'] ?? '');

export function classify(exchange: Exchange): Verdict {
  if (exchange.status === 0) return { kind: 'no-response' };
  const isSse = contentType(exchange).startsWith('text/event-stream');
  if (exchange.status >= 400) {
    if (!contentType(exchange).startsWith('application/json'))
      return { kind: 'broken', why: `${exchange.status} with content-type "${contentType(exchange)}"` };
    const error = asOpenAIError(parseJson(exchange.body));
    return error
      ? { kind: 'error-envelope', error }
      : { kind: 'broken', why: `${exchange.status} without the OpenAI error envelope` };
  }
  if (exchange.status < 200 || exchange.status >= 300) return { kind: 'broken', why: `status ${exchange.status}` };
  if (isSse) {
    const data = sseData(exchange.body);
    const last = data.at(-1);
    const errorEvents = data.filter((payload) => asOpenAIError(parseJson(payload)) !== undefined);
    if (last === '[DONE]')
      return errorEvents.length === 0
        ? { kind: 'success' }
        : { kind: 'broken', why: 'a stream that carries an error event and still ends with [DONE]' };
    const error = last === undefined ? undefined : asOpenAIError(parseJson(last));
    return error
      ? { kind: 'stream-error', error }
      : { kind: 'broken', why: 'a 200 stream that ends with neither [DONE] nor an error event' };
  }
  const body = record(parseJson(exchange.body));
  if (body === undefined) return { kind: 'broken', why: 'a 200 whose body is not a JSON object' };
  if ('error' in body) return { kind: 'broken', why: 'a 200 with an error inside' };
  return { kind: 'success' };
}

const show = (exchange: Exchange): string =>
  `${exchange.label}: ${exchange.status} ${contentType(exchange)} ${exchange.body.slice(0, 400)}`;

export interface ErrorExpectation {
  /** Exact status, or a predicate. Default: any 4xx/5xx. */
  status?: number | ((status: number) => boolean);
  code?: string;
  /** Exact `param`, or a predicate. */
  param?: string | ((param: unknown) => boolean);
}

function checkError(exchange: Exchange, error: OpenAIError, expected: ErrorExpectation, status: number): void {
  if (typeof expected.status === 'number') assert.equal(status, expected.status, `status of ${show(exchange)}`);
  else if (expected.status) assert.ok(expected.status(status), `unexpected status: ${show(exchange)}`);
  if (expected.code !== undefined) assert.equal(error.code, expected.code, `error code of ${show(exchange)}`);
  if (typeof expected.param === 'string') assert.equal(error.param, expected.param, `param of ${show(exchange)}`);
  else if (expected.param) assert.ok(expected.param(error.param), `unexpected param: ${show(exchange)}`);
}

/** A 4xx/5xx in the OpenAI envelope (before any stream started). */
export function expectErrorEnvelope(exchange: Exchange, expected: ErrorExpectation = {}): OpenAIError {
  const verdict = classify(exchange);
  assert.ok(verdict.kind === 'error-envelope', `expected a 4xx/5xx OpenAI error envelope, got ${show(exchange)}`);
  checkError(exchange, verdict.error, expected, exchange.status);
  return verdict.error;
}

/**
 * Refused one way or the other: a 4xx/5xx envelope before the stream started, or an SSE error event
 * ending a stream that had started. `expected.status` applies to the former only.
 */
export function expectRefused(exchange: Exchange, expected: ErrorExpectation = {}): OpenAIError {
  const verdict = classify(exchange);
  if (verdict.kind === 'error-envelope') {
    checkError(exchange, verdict.error, expected, exchange.status);
    return verdict.error;
  }
  assert.ok(
    verdict.kind === 'stream-error',
    `expected a 4xx/5xx error envelope or a stream ending with an error event, got ${show(exchange)}`,
  );
  const { status: _beforeStreamOnly, ...afterStart } = expected;
  checkError(exchange, verdict.error, afterStart, exchange.status);
  return verdict.error;
}

export function expectSuccess(exchange: Exchange): void {
  const verdict = classify(exchange);
  assert.ok(verdict.kind === 'success', `expected a clean 200, got ${show(exchange)}`);
}

/** A 400 naming a field: `param` is `field` or starts with `field.` / `field[`. */
export const names =
  (field: string) =>
  (param: unknown): boolean =>
    typeof param === 'string' && (param === field || param.startsWith(`${field}.`) || param.startsWith(`${field}[`));
