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
  /** The key's id (managed keys: their id; static keys: `static:<name>`). */
  keyId: string | null;
  /** The key's team when it has one. */
  team: string | null;
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
  /** Cost in micro-USD (integer), null when the model has no price. */
  costMicros: number | null;
  /** The inbound API (surface wire format, e.g. `openai-chat`); null when turned away before routing. */
  surface: string | null;
  /** Stable gateway error code when the request failed. */
  errorCode: string | null;
  /** Comma-separated list when a fallback was used. */
  fallbackModels: string | null;
  /** Each upstream attempt in order (request detail, traces, metrics); absent when none was made. */
  attemptLog?: AttemptRecord[];
  /** The limit that refused the request at admission (`rpm`, `tpm`, `maxConcurrent`, `budget`, or `team.` + one); metrics only. */
  refusedByLimit?: string;
  /** The request's W3C trace context; set only when tracing is on. */
  trace?: RequestTraceContext;
  /** Sampling parameters the client asked for (span attributes); set only when tracing is on. */
  requestParams?: RequestParams;
  /** Why each choice ended (`stop`, `length`, …) when the gateway saw it; set only when tracing is on. */
  finishReasons?: string[];
}

/** W3C trace context of one request: ids in lowercase hex. */
export interface RequestTraceContext {
  traceId: string;
  /** The request's own (server) span. */
  spanId: string;
  /** The caller's span when a `traceparent` came in. */
  parentSpanId: string | null;
  /** The caller's `tracestate`, passed on as is. */
  traceState: string | null;
  sampled: boolean;
}

/** Request parameters the record does not otherwise hold. */
export interface RequestParams {
  maxTokens: number | null;
  temperature: number | null;
  topP: number | null;
}

/** How one upstream attempt ended, as metrics and the console name it. */
export type AttemptOutcomeName =
  | 'ok'
  | 'stream_error'
  | 'timeout'
  | 'reset'
  | '429'
  | '5xx'
  | '4xx'
  | 'aborted'
  | 'error';

/** One upstream attempt of a request. */
export interface AttemptRecord {
  publicModel: string;
  provider: string;
  /** The deployment's id (`model#index`). */
  deployment: string;
  upstreamModel: string;
  /** Epoch ms when the attempt started. */
  startedAt: number;
  durationMs: number;
  outcome: AttemptOutcomeName;
  /** The upstream's HTTP status when it answered one. */
  status: number | null;
  errorCode: string | null;
  /** True when this attempt's model is a fallback of the one asked for. */
  fallback: boolean;
  /** The attempt's span id (sent upstream in `traceparent`); set only when tracing is on. */
  spanId?: string;
}

export interface RequestLogQuery {
  /** Default 100, capped at 10 000. */
  limit?: number;
  /** Only records with `timestamp >= since` (epoch ms). */
  since?: number;
  /** Only records with `timestamp < until` (epoch ms). */
  until?: number;
  keyName?: string;
  keyId?: string;
  team?: string;
  publicModel?: string;
  status?: number;
  /** Only records older than this position (a page's `next`): keyset pagination. */
  before?: RequestLogCursor;
}

/** A position in the request log, newest first: the timestamp, then the row's insertion order. */
export interface RequestLogCursor {
  timestamp: number;
  /** The row's id; unset = every row at `timestamp` is excluded too. */
  id?: number;
}

export interface RequestLogPage {
  records: RequestLogRecord[];
  /** Where the next (older) page starts; null on the last page. */
  next: RequestLogCursor | null;
}

export type BudgetPeriodName = 'day' | 'week' | 'month' | 'total';

/** Limits a managed key or team carries; null = unlimited. */
export interface StoredLimits {
  rpm: number | null;
  tpm: number | null;
  maxConcurrent: number | null;
  budgetMicros: number | null;
  budgetPeriod: BudgetPeriodName | null;
}

/** A managed key as stored: only the SHA-256 of its secret (hex), never the secret. */
export interface ManagedKeyRecord extends StoredLimits {
  /** `key_` + random; stable across rotations. */
  id: string;
  name: string;
  /** First 12 characters of the secret (`sk-llmux-xyz`), to recognise it in lists. */
  prefix: string;
  /** Hex SHA-256 of the secret. */
  hash: string;
  team: string | null;
  models: string[];
  /** Epoch ms; null = never. */
  expiresAt: number | null;
  metadata: JsonObjectValue | null;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms of the revocation; null while the key is live. */
  revokedAt: number | null;
}

export interface ManagedTeamRecord extends StoredLimits {
  /** The team's name is its id (keys refer to it). */
  name: string;
  models: string[];
  metadata: JsonObjectValue | null;
  createdAt: number;
  updatedAt: number;
}

/** A JSON object as stored (metadata is free JSON from the admin API). */
export type JsonObjectValue = { [key: string]: unknown };

export type ManagedKeyPatch = Partial<
  Pick<ManagedKeyRecord, 'name' | 'team' | 'models' | 'expiresAt' | 'metadata' | 'prefix' | 'hash' | keyof StoredLimits>
>;
export type ManagedTeamPatch = Partial<Pick<ManagedTeamRecord, 'models' | 'metadata' | keyof StoredLimits>>;

export interface PageQuery {
  /** Default 100, capped at 1000. */
  limit?: number;
  offset?: number;
}

export interface KeyListQuery extends PageQuery {
  team?: string;
  /** Revoked keys are listed only when asked. */
  includeRevoked?: boolean;
}

/** Managed keys and teams (the admin API's tables). */
export interface TenancyStore {
  createKey(key: ManagedKeyRecord): Promise<void>;
  getKey(id: string): Promise<ManagedKeyRecord | undefined>;
  /** Ordered by creation, oldest first. */
  listKeys(query: KeyListQuery): Promise<{ keys: ManagedKeyRecord[]; total: number }>;
  /** Every key not revoked (the in-memory key cache loads them all). */
  liveKeys(): Promise<ManagedKeyRecord[]>;
  /** Applies the patch and bumps updatedAt; undefined when there is no such key. */
  updateKey(id: string, patch: ManagedKeyPatch, now: number): Promise<ManagedKeyRecord | undefined>;
  /** Sets revokedAt (once); undefined when there is no such key. */
  revokeKey(id: string, now: number): Promise<ManagedKeyRecord | undefined>;
  createTeam(team: ManagedTeamRecord): Promise<void>;
  getTeam(name: string): Promise<ManagedTeamRecord | undefined>;
  listTeams(query: PageQuery): Promise<{ teams: ManagedTeamRecord[]; total: number }>;
  updateTeam(name: string, patch: ManagedTeamPatch, now: number): Promise<ManagedTeamRecord | undefined>;
  /** Refused (rejects) while live keys still belong to the team. True when it existed. */
  deleteTeam(name: string): Promise<boolean>;
}

export type UsageGroupBy = 'key' | 'team' | 'model' | 'provider' | 'day';

export interface UsageQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  groupBy: UsageGroupBy;
  keyId?: string;
  team?: string;
  publicModel?: string;
}

export interface UsageRow {
  /** The group's value: key id, team, public model, provider, or the UTC day `YYYY-MM-DD`; null for rows without it. */
  group: string | null;
  /** For groupBy key: the key's name as logged. */
  keyName?: string | null;
  requests: number;
  /** Requests answered with status ≥ 400. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  costMicros: number;
  /** Requests whose usage (hence cost) was estimated. */
  estimated: number;
}

export type StatsGroupBy = 'none' | 'model' | 'key' | 'team' | 'provider';

export interface StatsRange {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface TimeseriesQuery extends StatsRange {
  /** Bucket width; buckets start at multiples of it (epoch ms). */
  bucketMs: number;
  groupBy: StatsGroupBy;
  /** Groups shown on their own (most requests first); the rest are summed into one `other` series. Default 8. */
  maxGroups?: number;
}

/** Request-log figures of a range or a bucket. Latency and TTFT percentiles are of requests answered below 400. */
export interface StatsFigures {
  requests: number;
  /** Requests answered with status ≥ 400. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

export interface StatsPoint extends StatsFigures {
  /** The bucket's start, epoch ms. */
  t: number;
}

export interface StatsSeries {
  /** The group's value (model, key name, team, provider), null for rows without one (and for groupBy none). */
  group: string | null;
  /** True for the series summing every group beyond the first `maxGroups`. */
  other: boolean;
  /** Buckets with requests, oldest first. */
  points: StatsPoint[];
}

export interface StatsSummary extends StatsFigures {
  /** The ten keys that spent most (then most requests), by key name. */
  topKeys: Array<{ keyName: string; team: string | null; requests: number; costMicros: number }>;
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

/**
 * One stored Responses API response (`store: true`), scoped to the key that created it. A response
 * llmux rendered keeps its Response object and the input items of its turn (JSON text, opaque to
 * the store); one a provider keeps itself (OpenAI passthrough) keeps only that provider's name.
 */
export interface StoredResponseRecord {
  /** The `resp_…` id the client saw. */
  id: string;
  keyId: string;
  /** The response this one followed (a chain llmux replays); null for the first turn or a provider's. */
  previousResponseId: string | null;
  /** The provider holding the response (GET/DELETE are forwarded there); null = kept by llmux. */
  provider: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; the row is not served from then on, and purged. */
  expiresAt: number;
  /** The rendered Response object, JSON; null for a provider's. */
  response: string | null;
  /** The input items of this turn (the conversation before it is in the previous responses), JSON; null for a provider's. */
  inputItems: string | null;
}

/** Stored responses (`responses` table). Key scoping and expiry are the caller's to check on reads. */
/** One response to insert, with the responses of its conversation whose expiry moves to its own. */
export interface ResponseSave {
  record: StoredResponseRecord;
  extendIds?: readonly string[] | undefined;
}

export interface ResponseStore {
  /** Inserts the record and moves the expiry of the responses it follows (`extendIds`) to its own. */
  save(record: StoredResponseRecord, extendIds?: readonly string[]): Promise<void>;
  /** Several saves in one transaction (`ResponseSaveQueue` batches the saves of concurrent requests). */
  saveAll(entries: readonly ResponseSave[]): Promise<void>;
  /** One response by id, whatever its key or expiry; undefined when none. */
  get(id: string): Promise<StoredResponseRecord | undefined>;
  /**
   * The response and the ones it follows, oldest first, at most `maxDepth` of them. When the first
   * row's `previousResponseId` is not null, the chain is broken there (deleted or purged).
   */
  chain(id: string, maxDepth: number): Promise<StoredResponseRecord[]>;
  /** Deletes the key's response; false when it had none by that id. */
  delete(id: string, keyId: string): Promise<boolean>;
  /** Deletes rows with `expiresAt <= now`, `batchSize` per statement; returns how many. */
  purgeExpired(now: number, batchSize?: number): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly requestLog: RequestLogWriter;
  /** Newest first (timestamp, then insertion order). */
  listRequests(query: RequestLogQuery): Promise<RequestLogRecord[]>;
  /** Like listRequests, with the cursor of the next page. Records carry no `attemptLog` (see getRequest). */
  listRequestPage(query: RequestLogQuery): Promise<RequestLogPage>;
  /** One request with its attempts (the newest row with the id); undefined when there is none. */
  getRequest(requestId: string): Promise<RequestLogRecord | undefined>;
  /** When each key was last used (its newest request-log row, epoch ms); keys never used are absent. */
  lastUsedAt(keyIds: readonly string[]): Promise<Map<string, number>>;
  /** The request log over a range in time buckets, per group (the console's charts). */
  timeseries(query: TimeseriesQuery): Promise<StatsSeries[]>;
  /** Totals and percentiles over a range, and the keys that spent most. */
  statsSummary(query: StatsRange): Promise<StatsSummary>;
  readonly tenancy: TenancyStore;
  /** Stored Responses API responses. */
  readonly responses: ResponseStore;
  /** Aggregated request log, one row per group, ordered by the group. */
  usage(query: UsageQuery): Promise<UsageRow[]>;
  /** Sum of `cost_micros` of a key's (by id) or a team's rows with `timestamp >= since` (durable spend). */
  spentSince(subject: { kind: 'key' | 'team'; id: string }, since: number): Promise<number>;
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

/**
 * Change notices between replicas (key revocations, router cooldowns): Redis pub/sub when replicas
 * share Redis, in-process otherwise. Delivery is best effort; readers also refresh periodically.
 */
export interface ChangeBus {
  publish(topic: string, message: string): Promise<void>;
  /** The handler also receives this process's own messages. */
  subscribe(topic: string, handler: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}
