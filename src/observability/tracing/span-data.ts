/** A span attribute value (OTLP AnyValue subset). */
export type AttributeValue = string | number | boolean | readonly string[];

/** Attribute names to values; integers and doubles are told apart by `doubles` in the encoder. */
export type Attributes = Record<string, AttributeValue>;

export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;
export const STATUS_UNSET = 0;
export const STATUS_ERROR = 2;

export interface SpanEvent {
  name: string;
  /** Epoch ms (fractions allowed). */
  timeMs: number;
  attributes?: Attributes;
}

/** One finished span, ready to encode. */
export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string | null;
  name: string;
  kind: typeof SPAN_KIND_SERVER | typeof SPAN_KIND_CLIENT;
  /** Epoch ms (fractions allowed). */
  startMs: number;
  endMs: number;
  attributes: Attributes;
  /** Attributes whose number is a double, not an int64 (`gen_ai.request.temperature`, …). */
  doubles?: ReadonlySet<string>;
  events: SpanEvent[];
  status: { code: typeof STATUS_UNSET | typeof STATUS_ERROR; message?: string };
}
