/**
 * Turns any recorded fixture into simulator Steps. The provider-specific helpers (openai-replay.ts,
 * anthropic-replay.ts, gemini-replay.ts) are thin wrappers over `recordedExchange` and these builders.
 */
import {
  type ChunkFormat,
  loadCassette,
  loadChunksAsSse,
  loadDotnetRecord,
  loadFirebaseMock,
  loadJsGenaiRecording,
  loadRawSse,
  loadVercelJson,
} from './fixtures.ts';
import type { Step } from './simulator-steps.ts';

export interface ReplayOptions {
  /** Which entry / interaction / attempt of a multi-exchange recording (default 0). */
  index?: number;
  /** Overrides the recorded status. */
  status?: number;
  /** Merged over the recorded headers. */
  headers?: Record<string, string>;
  /** SSE only: split the body into writes of this many bytes. */
  chunkBytes?: number;
  /** SSE only: delay between writes. */
  chunkDelayMs?: number;
}

export interface RecordedExchange {
  /** The recorded request, when the fixture has one. */
  request?: { method: string; url: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: Buffer; streaming: boolean };
}

/** Content types the real APIs send (used when a recording has no headers). */
export const contentTypes: Record<ChunkFormat, { json: string; sse: string }> = {
  openai: { json: 'application/json', sse: 'text/event-stream; charset=utf-8' },
  anthropic: { json: 'application/json', sse: 'text/event-stream; charset=utf-8' },
  gemini: { json: 'application/json; charset=UTF-8', sse: 'text/event-stream' },
};

const unreplayedHeaders = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'content-encoding',
  'date',
  'set-cookie',
]);

/** Recorded response headers minus the ones that describe the original transport (length, encoding, cookies). */
export function replayableHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!unreplayedHeaders.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
  }
  return kept;
}

function pick<T>(items: readonly T[], index: number, rel: string): T {
  const item = items[index];
  if (item === undefined) throw new Error(`${rel}: no exchange at index ${index} (has ${items.length})`);
  return item;
}

function streamingBody(body: Buffer): RecordedExchange['response'] {
  return { status: 200, headers: {}, body, streaming: true };
}

/**
 * Loads one recorded exchange from any fixture kind: `*.chunks.txt` (framed for `format`), raw SSE
 * (`.bin`/`.sse`/`.txt`), VCR `.yaml`, openai-dotnet / js-genai / firebase / vercel-ai `.json`.
 */
export function recordedExchange(rel: string, format: ChunkFormat, index = 0): RecordedExchange {
  if (rel.endsWith('.chunks.txt')) return { response: streamingBody(loadChunksAsSse(rel, format)) };
  if (/\.(bin|sse|txt)$/.test(rel)) return { response: streamingBody(loadRawSse(rel)) };
  if (rel.endsWith('.yaml')) {
    const { request, response } = pick(loadCassette(rel).interactions, index, rel);
    return { request: { method: request.method, url: request.uri, body: request.body }, response };
  }
  if (rel.includes('openai-dotnet/')) {
    const entry = pick(loadDotnetRecord(rel).entries, index, rel);
    return {
      request: { method: entry.requestMethod, url: entry.requestUri, body: entry.requestBody },
      response: {
        status: entry.status,
        headers: entry.responseHeaders,
        body: entry.responseBody,
        streaming: entry.streaming,
      },
    };
  }
  if (rel.includes('js-genai/')) {
    const { request, response } = pick(loadJsGenaiRecording(rel).interactions, index, rel);
    const { status, headers, body, streaming } = response;
    return {
      request: { method: request.method, url: request.url, body: request.body },
      response: { status, headers, body, streaming },
    };
  }
  if (rel.includes('firebase')) {
    const mock = loadFirebaseMock(rel);
    return { response: { status: mock.status, headers: {}, body: mock.body, streaming: mock.streaming } };
  }
  const recorded = pick(loadVercelJson(rel), index, rel);
  return { response: { ...recorded, streaming: false } };
}

/** A `json` Step replaying a recorded body byte-exact (status: option, else recorded or implied by the body). */
export function jsonStepFrom(exchange: RecordedExchange, format: ChunkFormat, options: ReplayOptions = {}): Step {
  const { response } = exchange;
  const headers = {
    'content-type': contentTypes[format].json,
    ...replayableHeaders(response.headers),
    ...options.headers,
  };
  return { kind: 'json', status: options.status ?? response.status, headers, body: response.body };
}

/** An `sse` Step replaying a recorded SSE body byte-exact. */
export function sseStepFrom(exchange: RecordedExchange, format: ChunkFormat, options: ReplayOptions = {}): Step {
  const { response } = exchange;
  const headers = {
    'content-type': contentTypes[format].sse,
    ...replayableHeaders(response.headers),
    ...options.headers,
  };
  const step: Step = { kind: 'sse', status: options.status ?? response.status, headers, body: response.body };
  if (options.chunkBytes !== undefined) step.chunkBytes = options.chunkBytes;
  if (options.chunkDelayMs !== undefined) step.chunkDelayMs = options.chunkDelayMs;
  return step;
}

export function expectStreaming(rel: string, exchange: RecordedExchange, streaming: boolean): RecordedExchange {
  if (exchange.response.streaming !== streaming) {
    const what = streaming ? 'an SSE body' : 'a non-streaming body';
    throw new Error(`${rel}: expected ${what}; use the other helper or fixtureStep()`);
  }
  return exchange;
}

/** Splits a raw SSE body into frames, each keeping its terminator (`\n\n`, `\r\n\r\n`); a tail without one is kept. */
export function splitSseFrames(body: Buffer | string): string[] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const frames: string[] = [];
  const separator = /\r\n\r\n|\n\n|\r\r/g;
  let start = 0;
  for (let match = separator.exec(text); match !== null; match = separator.exec(text)) {
    const end = match.index + match[0].length;
    frames.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) frames.push(text.slice(start));
  return frames;
}

export interface EventsOptions {
  /** Only the first `take` frames (e.g. to cut a stream short before a reset). */
  take?: number;
  delayMs?: number;
  thenStallMs?: number;
  thenError?: 'reset' | 'close';
}

/** Converts an `sse` Step into an `sse-events` Step (frame by frame), e.g. to fail mid-stream. */
export function toEventsStep(step: Step, options: EventsOptions = {}): Step {
  if (step.kind !== 'sse') throw new Error(`toEventsStep: expected an sse step, got ${step.kind}`);
  const frames = splitSseFrames(step.body);
  const events = options.take === undefined ? frames : frames.slice(0, options.take);
  const result: Step = { kind: 'sse-events', events };
  if (step.status !== undefined) result.status = step.status;
  if (step.headers !== undefined) result.headers = step.headers;
  if (options.delayMs !== undefined) result.delayMs = options.delayMs;
  if (options.thenStallMs !== undefined) result.thenStallMs = options.thenStallMs;
  if (options.thenError !== undefined) result.thenError = options.thenError;
  return result;
}

/** Whatever the recording holds: an `sse` Step for streaming bodies, a `json` Step otherwise. */
export function fixtureStep(rel: string, format: ChunkFormat, options: ReplayOptions = {}): Step {
  const exchange = recordedExchange(rel, format, options.index);
  return exchange.response.streaming ? sseStepFrom(exchange, format, options) : jsonStepFrom(exchange, format, options);
}
