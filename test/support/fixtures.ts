/**
 * Loaders for the recorded upstream traffic in test/fixtures (copied byte for byte from
 * ../shared/fixtures; provenance in test/fixtures/PROVENANCE.md).
 */
import { readFixture } from './fixture-paths.ts';
import { asRecord, flattenHeaders, isRecord, jsonBytes } from './json-guards.ts';

export { atLeast, fixturePath, fixturesRoot, listFixtures, readFixture, readFixtureJson } from './fixture-paths.ts';
export type {
  CassetteInteraction,
  DotnetEntry,
  DotnetRecord,
  JsGenaiInteraction,
  JsGenaiRecording,
} from './fixture-records.ts';
export { loadCassette, loadDotnetRecord, loadJsGenaiRecording } from './fixture-records.ts';

export type ChunkFormat = 'openai' | 'anthropic' | 'gemini';

/** A recorded response: status, headers (lower-case names) and the body bytes. */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A raw SSE body exactly as served (openai-python `.bin`, derived-sse `.sse`, firebase/anthropic `.txt`). */
export function loadRawSse(rel: string): Buffer {
  return readFixture(rel);
}

/** The JSON payload lines of a vercel-ai `*.chunks.txt`, byte-exact, blank lines dropped. */
export function loadChunkLines(rel: string): string[] {
  return readFixture(rel)
    .toString('utf8')
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.trim() !== '');
}

/** Frames one payload line the way the real API does (PROVENANCE.md "Format notes"). */
export function frameChunk(line: string, format: ChunkFormat): string {
  switch (format) {
    case 'openai':
      return `data: ${line}\n\n`;
    case 'anthropic': {
      const payload = asRecord(JSON.parse(line) as unknown, 'anthropic chunk');
      const type = payload.type;
      if (typeof type !== 'string') throw new Error(`anthropic chunk without type: ${line}`);
      return `event: ${type}\ndata: ${line}\n\n`;
    }
    case 'gemini':
      return `data: ${line}\r\n\r\n`;
  }
}

/** The SSE frames of a vercel-ai `*.chunks.txt` (OpenAI gets a final `data: [DONE]` frame). */
export function loadChunkFrames(rel: string, format: ChunkFormat): string[] {
  const frames = loadChunkLines(rel).map((line) => frameChunk(line, format));
  if (format === 'openai') frames.push('data: [DONE]\n\n');
  return frames;
}

/** A vercel-ai `*.chunks.txt` as the SSE body the real API would have sent. */
export function loadChunksAsSse(rel: string, format: ChunkFormat): Buffer {
  return Buffer.from(loadChunkFrames(rel, format).join(''), 'utf8');
}

const anthropicErrorStatus: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

const openaiErrorStatus: Record<string, number> = {
  invalid_api_key: 401,
  model_not_found: 404,
  not_found: 404,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
};

/**
 * The HTTP status a response body implies: Gemini `error.code`; Anthropic `error.type`; OpenAI `error.code`
 * (default 400 for an OpenAI error object); 200 when the body is not an error.
 */
export function inferStatus(body: unknown): number {
  if (!isRecord(body) || !isRecord(body.error)) return 200;
  const error = body.error;
  if (typeof error.code === 'number') return error.code;
  if (body.type === 'error' && typeof error.type === 'string') return anthropicErrorStatus[error.type] ?? 400;
  if (typeof error.code === 'string') return openaiErrorStatus[error.code] ?? 400;
  return 400;
}

/**
 * A vercel-ai `*.json`: a raw body (bytes kept as stored) or a reproduction wrapper (`response.body`, or
 * `attempts[].rawResponseBody`, re-serialized compactly). One entry per recorded response.
 */
export function loadVercelJson(rel: string): RecordedResponse[] {
  const bytes = readFixture(rel);
  const json = JSON.parse(bytes.toString('utf8')) as unknown;
  if (isRecord(json) && isRecord(json.response) && 'body' in json.response) {
    const response = json.response;
    const status = typeof response.status === 'number' ? response.status : inferStatus(response.body);
    return [{ status, headers: flattenHeaders(response.headers), body: jsonBytes(response.body) }];
  }
  if (isRecord(json) && Array.isArray(json.attempts)) {
    return json.attempts.map((attempt, index) => {
      const record = asRecord(attempt, `${rel} attempts[${index}]`);
      return { status: inferStatus(record.rawResponseBody), headers: {}, body: jsonBytes(record.rawResponseBody) };
    });
  }
  return [{ status: inferStatus(json), headers: {}, body: bytes }];
}

export interface FirebaseMock {
  status: number;
  streaming: boolean;
  body: Buffer;
}

/** A Firebase mock response: `.txt` is a raw Gemini SSE body (200); `.json` a unary body (status from `error.code`). */
export function loadFirebaseMock(rel: string): FirebaseMock {
  const body = readFixture(rel);
  if (rel.endsWith('.txt')) return { status: 200, streaming: true, body };
  const json = JSON.parse(body.toString('utf8')) as unknown;
  return { status: inferStatus(json), streaming: false, body };
}
