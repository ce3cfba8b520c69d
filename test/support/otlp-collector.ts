/**
 * A stand-in OpenTelemetry collector: a real HTTP server taking OTLP/HTTP JSON on `/v1/traces`, as
 * the collector's `otlphttp` receiver does. It checks each body against the OTLP JSON mapping (hex
 * ids of the right length, int64 nanos as decimal strings, numeric enums, typed `AnyValue`s), answers
 * 200 `{}` (or a scripted status), and keeps the spans decoded to plain values.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type PlainValue = string | number | boolean | PlainValue[];

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  traceState: string | undefined;
  name: string;
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, PlainValue>;
  /** Attribute names whose value came as `doubleValue` (the rest of the numbers as `intValue`). */
  doubles: Set<string>;
  events: Array<{ name: string; attributes: Record<string, PlainValue> }>;
  status: { code: number; message?: string };
  resource: Record<string, PlainValue>;
  scope: { name: string; version: string };
}

export interface Collector {
  /** Base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it (no `/v1/traces`). */
  url: string;
  spans: ReceivedSpan[];
  /** Headers of each export request. */
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  /** Requests whose body did not follow the OTLP JSON mapping (with why). */
  malformed: string[];
  /** Answers the next exports with this status (e.g. 503) until set back to 200. */
  answerWith(status: number): void;
  /** Resolves once `count` spans arrived (rejects after timeoutMs). */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const DIGITS = /^\d+$/;

export async function startCollector(): Promise<Collector> {
  const spans: ReceivedSpan[] = [];
  const requests: Collector['requests'] = [];
  const malformed: string[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers });
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        malformed.push(`content-type ${req.headers['content-type']}`);
        res.writeHead(415).end();
        return;
      }
      try {
        spans.push(...decode(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch (error) {
        malformed.push((error as Error).message);
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"bad payload"}');
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : '{"code":14}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    malformed,
    answerWith(next) {
      status = next;
    },
    async waitForSpans(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (spans.length < count) {
        if (Date.now() > deadline) throw new Error(`waited for ${count} spans, got ${spans.length}`);
        await sleep(20);
      }
      return spans;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The spans of one export request, checked against the OTLP JSON mapping as they are read. */
function decode(body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  const resourceSpans = field(body, 'resourceSpans');
  assert.ok(Array.isArray(resourceSpans), 'resourceSpans is an array');
  for (const rs of resourceSpans) {
    const resource = attributesOf(field(field(rs, 'resource'), 'attributes'), new Set());
    const scopeSpans = field(rs, 'scopeSpans');
    assert.ok(Array.isArray(scopeSpans), 'scopeSpans is an array');
    for (const ss of scopeSpans) {
      const scope = field(ss, 'scope');
      const list = field(ss, 'spans');
      assert.ok(Array.isArray(list), 'spans is an array');
      for (const span of list)
        out.push(decodeSpan(span, resource, { name: str(scope, 'name'), version: str(scope, 'version') }));
    }
  }
  return out;
}

function decodeSpan(span: unknown, resource: Record<string, PlainValue>, scope: ReceivedSpan['scope']): ReceivedSpan {
  const traceId = str(span, 'traceId');
  const spanId = str(span, 'spanId');
  assert.match(traceId, HEX32, 'traceId is 32 lowercase hex digits');
  assert.match(spanId, HEX16, 'spanId is 16 lowercase hex digits');
  const parent = field(span, 'parentSpanId');
  if (parent !== undefined) assert.match(String(parent), HEX16, 'parentSpanId is 16 hex digits');
  const start = str(span, 'startTimeUnixNano');
  const end = str(span, 'endTimeUnixNano');
  assert.match(start, DIGITS, 'startTimeUnixNano is a decimal string');
  assert.match(end, DIGITS, 'endTimeUnixNano is a decimal string');
  const kind = field(span, 'kind');
  assert.ok(typeof kind === 'number' && kind >= 0 && kind <= 5, 'kind is a SpanKind number');
  const status = field(span, 'status') as { code: number; message?: string };
  assert.ok(typeof status.code === 'number', 'status.code is a number');
  const doubles = new Set<string>();
  const events = field(span, 'events');
  assert.ok(Array.isArray(events), 'events is an array');
  const traceState = field(span, 'traceState');
  return {
    traceId,
    spanId,
    parentSpanId: parent === undefined || parent === '' ? undefined : String(parent),
    traceState: traceState === undefined ? undefined : String(traceState),
    name: str(span, 'name'),
    kind,
    startNanos: BigInt(start),
    endNanos: BigInt(end),
    attributes: attributesOf(field(span, 'attributes'), doubles),
    doubles,
    events: events.map((event) => {
      assert.match(str(event, 'timeUnixNano'), DIGITS, 'event timeUnixNano is a decimal string');
      return { name: str(event, 'name'), attributes: attributesOf(field(event, 'attributes') ?? [], new Set()) };
    }),
    status,
    resource,
    scope,
  };
}

function attributesOf(list: unknown, doubles: Set<string>): Record<string, PlainValue> {
  assert.ok(Array.isArray(list), 'attributes is an array of KeyValue');
  const out: Record<string, PlainValue> = {};
  for (const kv of list) {
    const key = str(kv, 'key');
    const value = field(kv, 'value');
    if (value !== null && typeof value === 'object' && 'doubleValue' in value) doubles.add(key);
    out[key] = plain(value);
  }
  return out;
}

function plain(value: unknown): PlainValue {
  assert.ok(value !== null && typeof value === 'object', 'an AnyValue is an object');
  const keys = Object.keys(value);
  assert.equal(keys.length, 1, `an AnyValue has one field, got ${keys.join(',')}`);
  const record = value as Record<string, unknown>;
  if ('stringValue' in record) return String(record.stringValue);
  if ('boolValue' in record) {
    assert.equal(typeof record.boolValue, 'boolean', 'boolValue is a boolean');
    return record.boolValue as boolean;
  }
  if ('intValue' in record) {
    assert.ok(typeof record.intValue === 'string' && /^-?\d+$/.test(record.intValue), 'intValue is a decimal string');
    return Number(record.intValue);
  }
  if ('doubleValue' in record) {
    assert.equal(typeof record.doubleValue, 'number', 'doubleValue is a number');
    return record.doubleValue as number;
  }
  if ('arrayValue' in record) {
    const values = field(record.arrayValue, 'values');
    assert.ok(Array.isArray(values), 'arrayValue.values is an array');
    return values.map(plain);
  }
  throw new Error(`unexpected AnyValue ${JSON.stringify(value)}`);
}

function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object') throw new Error(`expected an object with ${name}`);
  return (value as Record<string, unknown>)[name];
}

function str(value: unknown, name: string): string {
  const found = field(value, name);
  if (typeof found !== 'string') throw new Error(`${name} is not a string`);
  return found;
}
