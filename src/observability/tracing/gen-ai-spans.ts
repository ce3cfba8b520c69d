/**
 * The spans of one settled request: a SERVER span for the request and a CLIENT span per upstream
 * attempt, named and attributed after the OpenTelemetry GenAI semantic conventions, plus llmux's
 * own `llmux.*` attributes. Built from the record alone, after the response ended.
 */
import { genAiOperationName, genAiProviderName } from './gen-ai-names.ts';
import {
  type Attributes,
  SPAN_KIND_CLIENT,
  SPAN_KIND_SERVER,
  type SpanData,
  STATUS_ERROR,
  STATUS_UNSET,
} from './span-data.ts';
import type { TraceContext, TracedAttempt, TracedRecord, UpstreamInfo } from './traced-record.ts';

const SERVER_DOUBLES: ReadonlySet<string> = new Set([
  'gen_ai.request.temperature',
  'gen_ai.request.top_p',
  'gen_ai.response.time_to_first_chunk',
  'llmux.cost_usd',
]);

export function requestSpans(
  record: TracedRecord,
  trace: TraceContext,
  upstreamOf: (provider: string) => UpstreamInfo | undefined,
  extra: Attributes = {},
): SpanData[] {
  const operation = genAiOperationName(record.surface);
  const attempts = record.attemptLog ?? [];
  const spans: SpanData[] = [serverSpan(record, trace, operation, upstreamOf, extra)];
  attempts.forEach((attempt, index) => {
    if (attempt.spanId === undefined) return;
    const last = index === attempts.length - 1;
    spans.push(clientSpan(record, trace, attempt, index + 1, last, operation, upstreamOf));
  });
  return spans;
}

function serverSpan(
  record: TracedRecord,
  trace: TraceContext,
  operation: string,
  upstreamOf: (provider: string) => UpstreamInfo | undefined,
  extra: Attributes,
): SpanData {
  const model = record.publicModel ?? 'unknown';
  const attributes: Attributes = { 'gen_ai.operation.name': operation, 'gen_ai.request.model': model };
  if (record.provider !== null)
    attributes['gen_ai.provider.name'] = genAiProviderName(record.provider, upstreamOf(record.provider)?.type);
  if (record.upstreamModel !== null && record.errorCode === null)
    attributes['gen_ai.response.model'] = record.upstreamModel;
  addRequestParams(attributes, record);
  addUsage(attributes, record);
  if (record.finishReasons !== undefined && record.finishReasons.length > 0)
    attributes['gen_ai.response.finish_reasons'] = record.finishReasons;
  attributes['gen_ai.request.stream'] = record.stream;
  attributes['http.response.status_code'] = record.status;
  if (record.ttftMs !== null) {
    attributes['llmux.ttft_ms'] = record.ttftMs;
    if (record.stream) attributes['gen_ai.response.time_to_first_chunk'] = record.ttftMs / 1000;
  }
  attributes['llmux.request_id'] = record.requestId;
  if (record.surface !== null) attributes['llmux.surface'] = record.surface;
  if (record.keyName !== null) attributes['llmux.key'] = record.keyName;
  if (record.team !== null) attributes['llmux.team'] = record.team;
  attributes['llmux.attempt'] = record.attempts;
  attributes['llmux.fallback'] = record.fallbackModels !== null;
  if (record.fallbackModels !== null) attributes['llmux.fallback_models'] = record.fallbackModels.split(',');
  const served = record.attemptLog?.at(-1);
  if (served !== undefined) attributes['llmux.deployment'] = served.deployment;
  if (record.costMicros !== null) attributes['llmux.cost_usd'] = record.costMicros / 1e6;
  if (record.usageEstimated) attributes['llmux.usage_estimated'] = true;
  const failed = isServerError(record);
  if (record.errorCode !== null) attributes['error.type'] = record.errorCode;
  Object.assign(attributes, extra);
  return {
    traceId: trace.traceId,
    spanId: trace.spanId,
    parentSpanId: trace.parentSpanId,
    traceState: trace.traceState,
    name: `${operation} ${model}`,
    kind: SPAN_KIND_SERVER,
    startMs: record.timestamp,
    endMs: record.timestamp + record.latencyMs,
    attributes,
    doubles: SERVER_DOUBLES,
    events: [],
    status: failed ? { code: STATUS_ERROR, message: record.errorCode ?? 'error' } : { code: STATUS_UNSET },
  };
}

/**
 * The request failed on llmux's side: a 5xx, or a stream that broke after it started. A 4xx is the
 * caller's (bad input, a limit), recorded in `error.type` without marking the span an error.
 */
function isServerError(record: TracedRecord): boolean {
  if (record.errorCode === null || record.errorCode === 'client_closed') return false;
  return record.status >= 500 || record.status < 400;
}

function clientSpan(
  record: TracedRecord,
  trace: TraceContext,
  attempt: TracedAttempt,
  number: number,
  last: boolean,
  operation: string,
  upstreamOf: (provider: string) => UpstreamInfo | undefined,
): SpanData {
  const upstream = upstreamOf(attempt.provider);
  const attributes: Attributes = {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': genAiProviderName(attempt.provider, upstream?.type),
    'gen_ai.request.model': attempt.upstreamModel,
  };
  const address = upstream === undefined ? undefined : serverAddress(upstream.baseUrl);
  if (address !== undefined) {
    attributes['server.address'] = address.host;
    attributes['server.port'] = address.port;
  }
  const ok = attempt.outcome === 'ok';
  // The usage and finish reasons are those of the attempt that answered: the last one.
  if (last && ok) {
    attributes['gen_ai.response.model'] = attempt.upstreamModel;
    addUsage(attributes, record);
    if (record.finishReasons !== undefined && record.finishReasons.length > 0)
      attributes['gen_ai.response.finish_reasons'] = record.finishReasons;
  }
  addRequestParams(attributes, record);
  attributes['gen_ai.request.stream'] = record.stream;
  const status = attempt.status ?? (ok ? 200 : undefined);
  if (status !== undefined) attributes['http.response.status_code'] = status;
  attributes['llmux.attempt'] = number;
  attributes['llmux.fallback'] = attempt.fallback;
  attributes['llmux.deployment'] = attempt.deployment;
  attributes['llmux.provider'] = attempt.provider;
  attributes['llmux.outcome'] = attempt.outcome;
  attributes['llmux.request_id'] = record.requestId;
  const failed = !ok && attempt.outcome !== 'aborted';
  if (!ok) attributes['error.type'] = attempt.errorCode ?? attempt.outcome;
  return {
    traceId: trace.traceId,
    spanId: attempt.spanId as string,
    parentSpanId: trace.spanId,
    traceState: trace.traceState,
    name: `${operation} ${attempt.upstreamModel}`,
    kind: SPAN_KIND_CLIENT,
    startMs: attempt.startedAt,
    endMs: attempt.startedAt + attempt.durationMs,
    attributes,
    doubles: SERVER_DOUBLES,
    events: [],
    status: failed ? { code: STATUS_ERROR, message: attempt.errorCode ?? attempt.outcome } : { code: STATUS_UNSET },
  };
}

function addRequestParams(attributes: Attributes, record: TracedRecord): void {
  const params = record.requestParams;
  if (params === undefined) return;
  if (params.maxTokens !== null) attributes['gen_ai.request.max_tokens'] = params.maxTokens;
  if (params.temperature !== null) attributes['gen_ai.request.temperature'] = params.temperature;
  if (params.topP !== null) attributes['gen_ai.request.top_p'] = params.topP;
}

function addUsage(attributes: Attributes, record: TracedRecord): void {
  if (record.inputTokens !== null) attributes['gen_ai.usage.input_tokens'] = record.inputTokens;
  if (record.outputTokens !== null) attributes['gen_ai.usage.output_tokens'] = record.outputTokens;
}

/** Host and port of a provider's base URL (never its credentials or path). */
function serverAddress(baseUrl: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(baseUrl);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return { host: url.hostname, port };
  } catch {
    return undefined;
  }
}
