import type { Message } from '../../core/types.ts';
import type { TraceContext, TracedRequestParams } from './traced-record.ts';

/** What the gateway asks of tracing while a request runs (src/gateway). */
export interface RequestTracing {
  /** True when prompts and completions go into spans (`telemetry.captureContent`). */
  readonly captureContent: boolean;
  /** The request's context: the caller's trace continued (its sampled flag honoured), or a new one. */
  begin(traceparent: string | string[] | undefined, tracestate: string | string[] | undefined): TraceContext;
  requestParams(wireFormat: string, wireBody: object, maxOutputTokens: number | undefined): TracedRequestParams;
  /** A new attempt span's id and the headers that carry it upstream. */
  attempt(trace: TraceContext): { spanId: string; headers: Record<string, string> };
  /** Prompt and completion of a sampled request, exported with its spans (never stored). */
  attachContent(record: object, content: { input?: readonly Message[] | undefined; output?: string | undefined }): void;
}
