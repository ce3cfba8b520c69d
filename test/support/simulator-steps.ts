/** The scripted responses an upstream simulator can play, and how each is written to the wire. */
import type { ServerResponse } from 'node:http';

export type Step =
  /** A complete response. Buffer/string bodies are sent byte-exact; anything else as JSON. */
  | { kind: 'json'; status?: number; headers?: Record<string, string>; body: unknown }
  /** Raw SSE bytes, optionally split into `chunkBytes`-sized writes with `chunkDelayMs` between them. */
  | {
      kind: 'sse';
      status?: number;
      headers?: Record<string, string>;
      body: Buffer | string;
      chunkBytes?: number;
      chunkDelayMs?: number;
    }
  /**
   * Raw frames (each including its own `\n\n` / `\r\n\r\n` terminator) written one by one, `delayMs` apart.
   * Afterwards: with neither `thenStallMs` nor `thenError` the response ends normally. With `thenStallMs` the
   * simulator stays silent that long (Infinity allowed) and then applies `thenError`; without `thenError` it
   * never ends the response (until the client leaves or the simulator closes). `thenError: 'reset'` sends a
   * TCP RST, `'close'` closes the socket mid-body (unterminated chunked encoding).
   */
  | {
      kind: 'sse-events';
      status?: number;
      headers?: Record<string, string>;
      events: string[];
      delayMs?: number;
      thenStallMs?: number;
      thenError?: 'reset' | 'close';
    }
  /** Accept the request and never answer; with `ms`, answer after ms with `then` (default: 504 JSON). */
  | { kind: 'stall-before-headers'; ms?: number; then?: Step }
  /** Destroy the socket (TCP RST) without any response. */
  | { kind: 'reset' }
  /** A broken body, e.g. truncated JSON, sent as-is with `contentType` (default application/json). */
  | { kind: 'malformed'; status?: number; body: string; contentType?: string }
  /** Wait, then play another step. */
  | { kind: 'delay'; ms: number; then: Step };

/** `step`, played after `ms`. */
export function delayed(ms: number, step: Step): Step {
  // biome-ignore lint/suspicious/noThenProperty: the simulator's step format names its continuation `then`
  return { kind: 'delay', ms, then: step };
}

export interface StepContext {
  res: ServerResponse;
  /** Resolves true after `ms` (Infinity = never), or false as soon as the response closes. */
  wait(ms: number): Promise<boolean>;
  /** Destroys the connection on purpose (so it does not count as a client abort). */
  abortConnection(mode: 'reset' | 'close'): Promise<void>;
}

const droppedHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);

function buildHeaders(defaultType: string, given: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    const lower = name.toLowerCase();
    if (!droppedHeaders.has(lower)) headers[lower] = value;
  }
  headers['content-type'] ??= defaultType;
  return headers;
}

function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body) ?? 'null', 'utf8');
}

function sendComplete(ctx: StepContext, status: number, headers: Record<string, string>, body: Buffer): void {
  if (ctx.res.destroyed) return;
  ctx.res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  ctx.res.end(body);
}

function splitBytes(body: Buffer, size: number | undefined): Buffer[] {
  if (size === undefined || size <= 0 || size >= body.length) return [body];
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += size) parts.push(body.subarray(offset, offset + size));
  return parts;
}

function startStream(ctx: StepContext, status: number | undefined, headers: Record<string, string> | undefined): void {
  ctx.res.writeHead(status ?? 200, { 'cache-control': 'no-cache', ...buildHeaders('text/event-stream', headers) });
  ctx.res.flushHeaders();
}

async function playSse(step: Extract<Step, { kind: 'sse' }>, ctx: StepContext): Promise<void> {
  startStream(ctx, step.status, step.headers);
  const parts = splitBytes(bodyBytes(step.body), step.chunkBytes);
  for (const [index, part] of parts.entries()) {
    if (ctx.res.destroyed) return;
    ctx.res.write(part);
    const last = index === parts.length - 1;
    if (!last && step.chunkDelayMs !== undefined && step.chunkDelayMs > 0 && !(await ctx.wait(step.chunkDelayMs))) {
      return;
    }
  }
  if (!ctx.res.destroyed) ctx.res.end();
}

async function playEvents(step: Extract<Step, { kind: 'sse-events' }>, ctx: StepContext): Promise<void> {
  startStream(ctx, step.status, step.headers);
  for (const [index, event] of step.events.entries()) {
    if (index > 0 && step.delayMs !== undefined && step.delayMs > 0 && !(await ctx.wait(step.delayMs))) return;
    if (ctx.res.destroyed) return;
    ctx.res.write(event);
  }
  if (step.thenStallMs !== undefined) {
    if (!(await ctx.wait(step.thenStallMs))) return;
    if (step.thenError === undefined) {
      await ctx.wait(Number.POSITIVE_INFINITY);
      return;
    }
  }
  if (step.thenError !== undefined) {
    await ctx.abortConnection(step.thenError);
    return;
  }
  if (!ctx.res.destroyed) ctx.res.end();
}

const stallEnded: Step = {
  kind: 'json',
  status: 504,
  body: { error: { message: 'upstream simulator: stall ended', type: 'simulator_stall' } },
};

/** Plays one step against a response whose request body has already been read. */
export async function playStep(step: Step, ctx: StepContext): Promise<void> {
  if (ctx.res.destroyed) return;
  switch (step.kind) {
    case 'json':
      sendComplete(ctx, step.status ?? 200, buildHeaders('application/json', step.headers), bodyBytes(step.body));
      return;
    case 'malformed':
      sendComplete(
        ctx,
        step.status ?? 200,
        { 'content-type': step.contentType ?? 'application/json' },
        bodyBytes(step.body),
      );
      return;
    case 'sse':
      await playSse(step, ctx);
      return;
    case 'sse-events':
      await playEvents(step, ctx);
      return;
    case 'reset':
      await ctx.abortConnection('reset');
      return;
    case 'stall-before-headers':
      if (await ctx.wait(step.ms ?? Number.POSITIVE_INFINITY)) await playStep(step.then ?? stallEnded, ctx);
      return;
    case 'delay':
      if (await ctx.wait(step.ms)) await playStep(step.then, ctx);
      return;
  }
}
