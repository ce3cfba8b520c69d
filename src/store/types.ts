/**
 * Store domain types. No driver types appear here: callers depend on these interfaces only,
 * and `app.ts` picks the concrete store (SQLite or Postgres) through `openStore()`.
 */

/**
 * What happened to one client request: filled in as the request goes (the gateway, or the front
 * door for a request turned away), settled by the policy and written as one request log row.
 */
export interface RequestLogRecord {
  /** Epoch ms at request start. */
  timestamp: number;
  /** llmux's own id (never the client's). */
  requestId: string;
  /** The client's own `x-request-id`, when it sent a well-formed one. */
  clientRequestId: string | null;
  keyName: string | null;
  publicModel: string | null;
  /** Provider name from config. */
  provider: string | null;
  upstreamModel: string | null;
  /** HTTP status sent to the client. */
  status: number;
  /** Total latency. */
  latencyMs: number;
  /** Time to first token (streams) or first byte. */
  ttftMs: number | null;
  stream: boolean;
  /** Upstream attempts made. */
  attempts: number;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  usageEstimated: boolean;
  /** Cost in USD, when pricing is known. */
  costUsd: number | null;
  /** The inbound API (surface wire format, e.g. `openai-chat`); null when turned away before routing. */
  surface: string | null;
  /** Stable gateway error code when the request failed. */
  errorCode: string | null;
  /** Comma-separated list when a fallback was used. */
  fallbackModels: string | null;
}

export interface RequestLogQuery {
  /** Default 100, capped at 10 000. */
  limit?: number;
  /** Only records with `timestamp >= since` (epoch ms). */
  since?: number;
  keyName?: string;
  publicModel?: string;
}

export interface BatchWriterStats {
  /** Records accepted but not yet written (queued plus in flight). */
  buffered: number;
  /** Records written successfully. */
  written: number;
  /** Records dropped: buffer overflow (oldest first) or recorded after close. */
  dropped: number;
  /** Batches whose write failed (their records were kept for the next flush). */
  failedFlushes: number;
  /** Batches written successfully (each one transaction). */
  batches: number;
}

export interface RequestLogWriter {
  /** Buffers the record. Synchronous, never throws; the write happens later, in a batch. */
  record(entry: RequestLogRecord): void;
  /** Waits for an in-flight flush, then writes everything buffered. Rejects if a write fails (rows are kept). */
  flush(): Promise<void>;
  stats(): BatchWriterStats;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly requestLog: RequestLogWriter;
  /** Newest first (timestamp, then insertion order). */
  listRequests(query: RequestLogQuery): Promise<RequestLogRecord[]>;
  /** A cheap query: resolves when the database answers (readiness checks). */
  ping(): Promise<void>;
  /**
   * Deletes request log rows with `timestamp < before` (epoch ms), `batchSize` rows per statement
   * so that a large backlog never holds one long lock. Returns the number of rows deleted.
   */
  pruneRequests(before: number, batchSize?: number): Promise<number>;
  /** Flushes buffered writes, then releases the database. */
  close(): Promise<void>;
}

/** Options shared by every store implementation. */
export interface StoreOptions {
  /** Flush buffered log rows at least this often. Default 1000. */
  flushIntervalMs?: number;
  /** Flush as soon as this many rows are buffered; also the largest batch written at once. Default 500. */
  maxBatch?: number;
  /** Keep at most this many unwritten rows; beyond it the oldest are dropped. Default 100 000. */
  maxBuffered?: number;
  /** Receives errors of background flushes (they are never thrown to `record()` callers). */
  onError?: (error: unknown) => void;
  /** Keeps a local journal of the rows not yet written, replayed into the store at the next start. */
  journal?: RequestLogJournalOptions;
}

export interface RequestLogJournalOptions {
  /** Directory of the journal's segment files (one directory per llmux process). */
  directory: string;
  /** Append and fdatasync buffered rows at least this often: the rows a crash can lose. Default 100. */
  syncIntervalMs?: number;
  /** Called after rows left by a crash were replayed at start. */
  onReplay?: (report: JournalReplayReport) => void;
}

export interface JournalReplayReport {
  /** Rows found in the journal and written to the store. */
  replayed: number;
  /** Rows found in the journal that the store already had (written just before the crash). */
  alreadyStored: number;
  /** Lines that could not be read (a line cut short by the crash). */
  skippedLines: number;
}
