/**
 * The OTLP/HTTP JSON encoding of spans (opentelemetry-proto's JSON mapping): ids as lowercase hex,
 * 64-bit integers and nanosecond times as decimal strings, enums as numbers, attribute values as
 * `AnyValue` objects, camelCase field names.
 */
import type { Attributes, AttributeValue, SpanData, SpanEvent } from './span-data.ts';

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
}

interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface InstrumentationScope {
  name: string;
  version: string;
}

/** One export request body: every span under one resource and one scope. */
export function encodeTraces(
  resource: Readonly<Record<string, string>>,
  scope: InstrumentationScope,
  spans: readonly SpanData[],
): string {
  return tracesBody(resource, scope, [encodeSpans(spans)]);
}

/** The body around spans already encoded in slices (`encodeSpans`), so a large batch never blocks in one piece. */
export function tracesBody(
  resource: Readonly<Record<string, string>>,
  scope: InstrumentationScope,
  encodedSpans: readonly string[],
): string {
  const resourceJson = JSON.stringify({ attributes: encodeAttributes(resource) });
  const scopeJson = JSON.stringify({ name: scope.name, version: scope.version });
  return `{"resourceSpans":[{"resource":${resourceJson},"scopeSpans":[{"scope":${scopeJson},"spans":[${encodedSpans.join(',')}]}]}]}`;
}

/** Spans as OTLP JSON objects separated by commas (one stringify for the slice: cheaper than one per span). */
export function encodeSpans(spans: readonly SpanData[]): string {
  return JSON.stringify(spans.map(spanObject)).slice(1, -1);
}

function spanObject(span: SpanData): object {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId === null ? {} : { parentSpanId: span.parentSpanId }),
    ...(span.traceState === null ? {} : { traceState: span.traceState }),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: unixNanos(span.startMs),
    endTimeUnixNano: unixNanos(Math.max(span.startMs, span.endMs)),
    attributes: encodeAttributes(span.attributes, span.doubles),
    events: span.events.map(encodeEvent),
    status: span.status.message === undefined ? { code: span.status.code } : span.status,
  };
}

function encodeEvent(event: SpanEvent): object {
  return {
    timeUnixNano: unixNanos(event.timeMs),
    name: event.name,
    attributes: encodeAttributes(event.attributes ?? {}),
  };
}

function encodeAttributes(attributes: Attributes, doubles?: ReadonlySet<string>): KeyValue[] {
  const encoded: KeyValue[] = [];
  for (const [key, value] of Object.entries(attributes))
    encoded.push({ key, value: anyValue(value, doubles?.has(key)) });
  return encoded;
}

function anyValue(value: AttributeValue, double = false): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return double || !Number.isInteger(value) ? { doubleValue: value } : { intValue: String(value) };
  }
  return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
}

/** Epoch ms → nanoseconds as a decimal string, exact to the microsecond (ms × 1e6 overflows a double's integers). */
export function unixNanos(ms: number): string {
  const wholeMs = Math.floor(ms);
  const nanos = Math.round((ms - wholeMs) * 1e6);
  return nanos >= 1e6 ? `${wholeMs + 1}000000` : `${wholeMs}${String(nanos).padStart(6, '0')}`;
}
