/**
 * Loaders for whole recorded exchanges: openai-dotnet SessionRecords, pydantic-ai VCR cassettes and
 * js-genai replay recordings. Re-exported from fixtures.ts.
 */
import { parse as parseYaml } from 'yaml';
import { fixturePath, readFixture } from './fixture-paths.ts';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  flattenHeaders,
  isRecord,
  jsonBytes,
  tryParseJson,
} from './json-guards.ts';

export interface DotnetEntry {
  requestUri: string;
  requestMethod: string;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  /** Streaming entries: the recorded SSE event strings joined byte-exact; JSON entries: compact JSON. */
  responseBody: Buffer;
  streaming: boolean;
}

export interface DotnetRecord {
  entries: DotnetEntry[];
}

function dotnetBody(value: unknown): { body: Buffer; streaming: boolean } {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return { body: Buffer.from(value.join(''), 'utf8'), streaming: true };
  }
  if (value === null || value === undefined) return { body: Buffer.alloc(0), streaming: false };
  if (typeof value === 'string') return { body: Buffer.from(value, 'utf8'), streaming: false };
  return { body: jsonBytes(value), streaming: false };
}

/** An openai-dotnet `tests/SessionRecords/*.json` recording. */
export function loadDotnetRecord(rel: string): DotnetRecord {
  const root = asRecord(JSON.parse(readFixture(rel).toString('utf8')) as unknown, rel);
  const entries = asArray(root.Entries, `${rel} Entries`).map((raw, index): DotnetEntry => {
    const entry = asRecord(raw, `${rel} Entries[${index}]`);
    const { body, streaming } = dotnetBody(entry.ResponseBody);
    return {
      requestUri: asString(entry.RequestUri, 'RequestUri'),
      requestMethod: asString(entry.RequestMethod, 'RequestMethod'),
      requestBody: entry.RequestBody ?? undefined,
      status: asNumber(entry.StatusCode, 'StatusCode'),
      responseHeaders: flattenHeaders(entry.ResponseHeaders),
      responseBody: body,
      streaming,
    };
  });
  return { entries };
}

export interface CassetteInteraction {
  request: { uri: string; method: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: Buffer; streaming: boolean };
}

function cassetteRequestBody(request: Record<string, unknown>): unknown {
  if ('parsed_body' in request) return request.parsed_body;
  const body = request.body;
  const text = isRecord(body) ? body.string : body;
  if (typeof text !== 'string') return undefined;
  return tryParseJson(text) ?? text;
}

function cassetteResponseBody(response: Record<string, unknown>): { body: Buffer; streaming: boolean } {
  if ('parsed_body' in response) return { body: jsonBytes(response.parsed_body), streaming: false };
  const body = response.body;
  const text = isRecord(body) ? body.string : body;
  if (typeof text !== 'string') return { body: Buffer.alloc(0), streaming: false };
  const contentType = flattenHeaders(response.headers)['content-type'] ?? '';
  return { body: Buffer.from(text, 'utf8'), streaming: contentType.includes('event-stream') };
}

/**
 * A pydantic-ai VCR cassette. `parsed_body` becomes compact JSON bytes (it was re-serialized by the recorder
 * anyway); `body.string` is kept byte-exact.
 */
export function loadCassette(rel: string): { interactions: CassetteInteraction[] } {
  const root = asRecord(parseYaml(readFixture(rel).toString('utf8')) as unknown, rel);
  const interactions = asArray(root.interactions, `${rel} interactions`).map((raw, index): CassetteInteraction => {
    const interaction = asRecord(raw, `${rel} interactions[${index}]`);
    const request = asRecord(interaction.request, 'request');
    const response = asRecord(interaction.response, 'response');
    const status = asRecord(response.status, 'response.status');
    return {
      request: {
        uri: asString(request.uri, 'request.uri'),
        method: asString(request.method, 'request.method'),
        headers: flattenHeaders(request.headers),
        body: cassetteRequestBody(request),
      },
      response: {
        status: asNumber(status.code, 'response.status.code'),
        headers: flattenHeaders(response.headers),
        ...cassetteResponseBody(response),
      },
    };
  });
  return { interactions };
}

export interface JsGenaiInteraction {
  request: { method: string; url: string; headers: Record<string, string>; body: unknown };
  response: {
    status: number;
    headers: Record<string, string>;
    /** The recorded JSON segments (one per SSE event when streaming). Keys were sorted by the recorder. */
    segments: unknown[];
    streaming: boolean;
    /** Streaming: `data: <json>\r\n\r\n` per segment; otherwise the single segment as compact JSON. */
    body: Buffer;
  };
}

export interface JsGenaiRecording {
  recordId: string;
  interactions: JsGenaiInteraction[];
}

function jsGenaiBody(segments: unknown[], streaming: boolean): Buffer {
  if (streaming) return Buffer.from(segments.map((segment) => `data: ${JSON.stringify(segment)}\r\n\r\n`).join(''));
  if (segments.length === 1) return jsonBytes(segments[0]);
  return jsonBytes(segments);
}

/** A googleapis/js-genai `test/system/recordings/*.json` replay recording. */
export function loadJsGenaiRecording(rel: string): JsGenaiRecording {
  const root = asRecord(JSON.parse(readFixture(rel).toString('utf8')) as unknown, rel);
  const interactions = asArray(root.interactions, `${rel} interactions`).map((raw, index): JsGenaiInteraction => {
    const interaction = asRecord(raw, `${rel} interactions[${index}]`);
    const request = asRecord(interaction.request, 'request');
    const response = asRecord(interaction.response, 'response');
    const requestSegments = asArray(request.bodySegments, 'request.bodySegments');
    const segments = asArray(response.bodySegments, 'response.bodySegments');
    const status = asNumber(response.statusCode, 'response.statusCode');
    const headers = flattenHeaders(response.headers);
    const streaming = status < 400 && (headers['content-type'] ?? '').includes('event-stream');
    return {
      request: {
        method: asString(request.method, 'request.method'),
        url: asString(request.url, 'request.url'),
        headers: flattenHeaders(request.headers),
        body: requestSegments.length === 1 ? requestSegments[0] : requestSegments,
      },
      response: { status, headers, segments, streaming, body: jsGenaiBody(segments, streaming) },
    };
  });
  return { recordId: typeof root.recordID === 'string' ? root.recordID : fixturePath(rel), interactions };
}
