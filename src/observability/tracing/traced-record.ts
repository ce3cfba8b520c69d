/**
 * What a trace is built from: the settled request record and its attempts. The store's
 * `RequestLogRecord` has this shape (this layer sees only core and lib, so it is restated here).
 */
export interface TraceContext {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string | null;
  sampled: boolean;
}

export interface TracedRequestParams {
  maxTokens: number | null;
  temperature: number | null;
  topP: number | null;
}

export interface TracedAttempt {
  publicModel: string;
  provider: string;
  deployment: string;
  upstreamModel: string;
  startedAt: number;
  durationMs: number;
  outcome: string;
  status: number | null;
  errorCode: string | null;
  fallback: boolean;
  spanId?: string;
}

export interface TracedRecord {
  timestamp: number;
  requestId: string;
  keyName: string | null;
  team: string | null;
  publicModel: string | null;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  stream: boolean;
  attempts: number;
  inputTokens: number | null;
  outputTokens: number | null;
  usageEstimated: boolean;
  costMicros: number | null;
  surface: string | null;
  errorCode: string | null;
  fallbackModels: string | null;
  attemptLog?: TracedAttempt[];
  trace?: TraceContext;
  requestParams?: TracedRequestParams;
  finishReasons?: string[];
}

/** Where a provider's requests go, for `gen_ai.provider.name` and `server.address`. */
export interface UpstreamInfo {
  /** The provider's type in the config (`openai`, `anthropic`, `gemini`, `azure`, `openai-compatible`, …). */
  type: string;
  baseUrl: string;
}
