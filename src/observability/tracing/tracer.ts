/**
 * Request tracing (loaded only when tracing is configured): trace context for each request and
 * attempt, and at settle time the request's spans handed to the batching OTLP exporter.
 */
import { BatchExporter, type ExporterStats, type ExportLogger } from './batch-exporter.ts';
import { type CapturedContent, contentAttributes } from './captured-content.ts';
import { requestSpans } from './gen-ai-spans.ts';
import { requestParams } from './request-params.ts';
import type { RequestTracing } from './request-tracing.ts';
import type { TracingSettings } from './settings.ts';
import { cleanTracestate, formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './trace-context.ts';
import type { TraceContext, TracedRecord, TracedRequestParams, UpstreamInfo } from './traced-record.ts';

export interface TracerOptions {
  settings: TracingSettings;
  logger: ExportLogger;
  /** The provider of a name in the running config (its type and base URL). */
  upstreamOf(provider: string): UpstreamInfo | undefined;
  version: string;
  /** Exporter tuning (tests). */
  exporter?: { intervalMs?: number; maxQueue?: number; maxBatch?: number };
}

export class Tracer implements RequestTracing {
  readonly captureContent: boolean;
  private readonly exporter: BatchExporter;
  private readonly content = new WeakMap<object, CapturedContent>();

  constructor(private readonly options: TracerOptions) {
    const { settings } = options;
    this.captureContent = settings.captureContent;
    this.exporter = new BatchExporter({
      url: settings.tracesUrl,
      headers: settings.headers,
      resource: settings.resource,
      scope: { name: 'llmux', version: options.version },
      logger: options.logger,
      ...options.exporter,
    });
  }

  begin(traceparent: string | string[] | undefined, tracestate: string | string[] | undefined): TraceContext {
    const parent = parseTraceparent(traceparent);
    if (parent !== undefined) {
      return {
        traceId: parent.traceId,
        spanId: newSpanId(),
        parentSpanId: parent.spanId,
        traceState: cleanTracestate(tracestate),
        sampled: parent.sampled,
      };
    }
    const ratio = this.options.settings.sampleRatio;
    return {
      traceId: newTraceId(),
      spanId: newSpanId(),
      parentSpanId: null,
      traceState: null,
      sampled: ratio >= 1 || Math.random() < ratio,
    };
  }

  requestParams(wireFormat: string, wireBody: object, maxOutputTokens: number | undefined): TracedRequestParams {
    return requestParams(wireFormat, wireBody, maxOutputTokens);
  }

  attempt(trace: TraceContext): { spanId: string; headers: Record<string, string> } {
    const spanId = newSpanId();
    const headers: Record<string, string> = { traceparent: formatTraceparent(trace.traceId, spanId, trace.sampled) };
    if (trace.traceState !== null) headers.tracestate = trace.traceState;
    return { spanId, headers };
  }

  attachContent(record: object, content: CapturedContent): void {
    if (this.captureContent) this.content.set(record, content);
  }

  /** The settle point (`Gateway.onSettled`): queues the spans of a sampled request. */
  record(record: TracedRecord): void {
    const trace = record.trace;
    if (trace === undefined || !trace.sampled) return;
    const content = this.content.get(record);
    const extra = content === undefined ? {} : contentAttributes(content, record.finishReasons);
    this.exporter.enqueue(requestSpans(record, trace, this.options.upstreamOf, extra));
  }

  get stats(): ExporterStats {
    return this.exporter.stats;
  }

  flush(): Promise<void> {
    return this.exporter.flush();
  }

  /** Sends what is queued; called once the requests in flight were recorded. */
  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}
