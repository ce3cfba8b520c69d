import Type, { type Static, type TProperties } from 'typebox';
import type { JsonObject } from '../core/types.ts';

// The file format. Every object is closed (unknown keys are errors) except `headers` and `bodyOverrides`.
// A `default` makes a key optional in the file and required in the loaded config.

const closed = { additionalProperties: false } as const;
const section = { additionalProperties: false, default: {} } as const;

const integer = (minimum: number, fallback?: number, maximum?: number) =>
  Type.Integer({
    minimum,
    ...(maximum === undefined ? {} : { maximum }),
    ...(fallback === undefined ? {} : { default: fallback }),
  });
const text = (minLength = 1) => Type.String({ minLength });
const literals = <const T extends readonly string[]>(values: T) => values;

export const STRATEGY_NAMES = literals(['weighted', 'priority', 'least-busy', 'latency', 'cost']);
export const PROVIDER_TYPES = literals(['openai', 'openai-compatible', 'anthropic', 'gemini', 'azure', 'simulator']);
export const LOG_LEVELS = literals(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const StrategyNameSchema = Type.Union(
  STRATEGY_NAMES.map((name) => Type.Literal(name)),
  { default: 'weighted' },
);
export const LogLevelSchema = Type.Union(
  LOG_LEVELS.map((level) => Type.Literal(level)),
  { default: 'info' },
);
/** json: one object per line (log shippers); pretty: pino-pretty, for a person at a terminal. */
export const LogFormatSchema = Type.Union([Type.Literal('json'), Type.Literal('pretty')], { default: 'json' });

/** Prometheus metrics at `GET /metrics` (docs/observability.md). */
export const MetricsSchema = Type.Object(
  {
    /** false: no /metrics route (404) and nothing counted. */
    enabled: Type.Boolean({ default: true }),
    /** false drops the `key` label (tokens, cost, rate limits by team only): for thousands of keys. */
    keyLabel: Type.Boolean({ default: true }),
  },
  section,
);

export const RETRY_DEFAULTS = { attempts: 3, backoffMs: 200, maxBackoffMs: 8000, maxRetryAfterMs: 30000 } as const;
export const TIMEOUT_DEFAULTS = { connectMs: 5000, firstByteMs: 60000, idleMs: 30000, totalMs: 600000 } as const;
export const COOLDOWN_DEFAULTS = { failures: 3, failureRate: 0.5, windowMs: 60000, cooldownMs: 30000 } as const;

/** `defaults` undefined → every field optional without default (a per-model / per-provider override). */
const retryFields = (defaults?: typeof RETRY_DEFAULTS) => ({
  /** Upstream tries in all, first one included. */
  attempts: integer(1, defaults?.attempts, 100),
  backoffMs: integer(0, defaults?.backoffMs),
  maxBackoffMs: integer(0, defaults?.maxBackoffMs),
  maxRetryAfterMs: integer(0, defaults?.maxRetryAfterMs),
});
/** 0 disables a timeout. */
const timeoutFields = (defaults?: typeof TIMEOUT_DEFAULTS) => ({
  connectMs: integer(0, defaults?.connectMs),
  firstByteMs: integer(0, defaults?.firstByteMs),
  idleMs: integer(0, defaults?.idleMs),
  totalMs: integer(0, defaults?.totalMs),
});

export const RetrySchema = Type.Object(retryFields(RETRY_DEFAULTS), section);
export const RetryOverrideSchema = Type.Partial(Type.Object(retryFields(), closed));
export const TimeoutsSchema = Type.Object(timeoutFields(TIMEOUT_DEFAULTS), section);
export const TimeoutsOverrideSchema = Type.Partial(Type.Object(timeoutFields(), closed));
export const CooldownSchema = Type.Object(
  {
    /**
     * A deployment cools down when, within `windowMs`, at least `failures` distinct requests failed
     * on it (retries of one request count once; errors the request caused never count) and they
     * are at least `failureRate` of its requests in that window. A 429 cools it down at once.
     */
    failures: integer(1, COOLDOWN_DEFAULTS.failures),
    failureRate: Type.Number({ minimum: 0, maximum: 1, default: COOLDOWN_DEFAULTS.failureRate }),
    windowMs: integer(0, COOLDOWN_DEFAULTS.windowMs),
    cooldownMs: integer(0, COOLDOWN_DEFAULTS.cooldownMs),
  },
  section,
);

/** Same fields as `DeploymentCapabilities` in providers/types.ts; unset fields fall back to the adapter's defaults. */
export const CapabilitiesSchema = Type.Object(
  {
    maxCompletionTokensOnly: Type.Optional(Type.Boolean()),
    developerRoleUnsupported: Type.Optional(Type.Boolean()),
    dropUnsupported: Type.Optional(Type.Boolean()),
    maxOutputTokens: Type.Optional(integer(1)),
    /** OpenAI-compatible: false for servers that reject `stream_options` (streams then carry no usage). */
    streamUsage: Type.Optional(Type.Boolean()),
  },
  section,
);

export const HeadersSchema = Type.Record(Type.String(), Type.String(), { default: {} });
export const BodyOverridesSchema = Type.Record(Type.String(), Type.Unknown(), { default: {} });

const providerCommon = {
  headers: HeadersSchema,
  timeouts: Type.Optional(TimeoutsOverrideSchema),
  capabilities: CapabilitiesSchema,
};
const keyedProvider = <const T extends 'openai' | 'anthropic' | 'gemini', E extends TProperties = Record<never, never>>(
  type: T,
  extra?: E,
) =>
  Type.Object(
    {
      type: Type.Literal(type),
      /** Empty (e.g. an unset `${VAR}`) disables the provider instead of failing. */
      apiKey: Type.String(),
      /** Default comes from the adapter. */
      baseUrl: Type.Optional(Type.String()),
      ...providerCommon,
      ...(extra as E),
    },
    closed,
  );

/**
 * Responses API clients (`POST /v1/responses`) get their body passed through to the upstream's
 * `/responses`; false = translated to Chat Completions. Default: true for `openai`, false for
 * `openai-compatible` and `azure`.
 */
const responsesApi = { responsesApi: Type.Optional(Type.Boolean()) };

export const ProviderSchema = Type.Union([
  keyedProvider('openai', responsesApi),
  Type.Object(
    {
      type: Type.Literal('openai-compatible'),
      baseUrl: Type.String(),
      apiKey: Type.String({ default: '' }),
      ...responsesApi,
      ...providerCommon,
    },
    closed,
  ),
  keyedProvider('anthropic'),
  keyedProvider('gemini'),
  Type.Object(
    {
      type: Type.Literal('azure'),
      /** The resource endpoint, `https://{resource}.openai.azure.com`; deployments' `model` is the Azure deployment name. */
      endpoint: Type.String(),
      /** Sent as the `api-key` header. Empty (e.g. an unset `${VAR}`) disables the provider instead of failing. */
      apiKey: Type.String(),
      /** The classic API's `api-version` query (default: the adapter's, a GA version). */
      apiVersion: Type.Optional(text()),
      /** Use the `/openai/v1` API (deployment name in the body, no api-version). */
      v1: Type.Boolean({ default: false }),
      ...responsesApi,
      ...providerCommon,
    },
    closed,
  ),
  Type.Object(
    {
      type: Type.Literal('simulator'),
      /** Delay before the first byte. */
      latencyMs: integer(0, 0),
      /** Delay between stream chunks. */
      chunkDelayMs: integer(0, 0),
      /** Words per content chunk. */
      chunkSize: integer(1, 4),
      ...providerCommon,
    },
    closed,
  ),
]);

export const DeploymentSchema = Type.Object(
  {
    provider: text(),
    /** Upstream model name; "*" stands for the part a wildcard model name matched. */
    model: text(),
    weight: Type.Number({ minimum: 0, default: 1 }),
    priority: Type.Integer({ default: 0 }),
    capabilities: CapabilitiesSchema,
    bodyOverrides: BodyOverridesSchema,
    headers: HeadersSchema,
  },
  closed,
);

export const ModelSchema = Type.Object(
  {
    /** Public name; may contain one "*" (e.g. "local/*"). */
    name: text(),
    strategy: StrategyNameSchema,
    deployments: Type.Array(DeploymentSchema, { minItems: 1 }),
    fallbacks: Type.Array(text(), { default: [] }),
    retry: Type.Optional(RetryOverrideSchema),
    timeouts: Type.Optional(TimeoutsOverrideSchema),
  },
  closed,
);

export const BUDGET_PERIODS = literals(['day', 'week', 'month', 'total']);
export const BudgetSchema = Type.Object(
  {
    usd: Type.Number({ minimum: 0 }),
    /** UTC calendar boundaries (weeks start on Monday); `total` never resets. */
    period: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('total')], {
      default: 'month',
    }),
  },
  closed,
);

/** Limits shared by keys and teams; all optional (unset = unlimited). */
const limitFields = () => ({
  /** Requests per minute (GCRA: capacity = the limit, refilled continuously). */
  rpm: Type.Optional(integer(1)),
  /** Tokens per minute (input + output; estimated at admission, settled to the real usage). */
  tpm: Type.Optional(integer(1)),
  /** Requests in flight at once. */
  maxConcurrent: Type.Optional(integer(1)),
  budget: Type.Optional(BudgetSchema),
});

export const KeySchema = Type.Object(
  {
    name: text(),
    key: text(8),
    /** Allow-list of public model names or patterns with "*". */
    models: Type.Array(text(), { default: ['*'] }),
    team: Type.Optional(text()),
    ...limitFields(),
    /** ISO 8601 instant after which the key is refused. */
    expiresAt: Type.Optional(text()),
  },
  closed,
);

export const TeamSchema = Type.Object(
  {
    name: text(),
    /** Models the team's keys may use (intersected with each key's own list). */
    models: Type.Array(text(), { default: ['*'] }),
    ...limitFields(),
  },
  closed,
);

export const PriceOverrideSchema = Type.Object(
  {
    /** Public model name, upstream model name or `provider/upstream`, with "*" patterns. */
    model: text(),
    /** USD per 1M tokens. */
    input: Type.Number({ minimum: 0 }),
    output: Type.Number({ minimum: 0 }),
    cachedInput: Type.Optional(Type.Number({ minimum: 0 })),
    cacheWrite: Type.Optional(Type.Number({ minimum: 0 })),
  },
  closed,
);

export const PricingSchema = Type.Object(
  {
    /** What a key with a budget gets on a model with no price: served at no cost (allow) or refused (deny). */
    unpriced: Type.Union([Type.Literal('allow'), Type.Literal('deny')], { default: 'allow' }),
    models: Type.Array(PriceOverrideSchema, { default: [] }),
  },
  section,
);

export const LIMITS_DEFAULTS = { redisTimeoutMs: 250, defaultMaxOutputTokens: 4096 } as const;
export const LimitsSchema = Type.Object(
  {
    /** When Redis cannot be reached: serve and log an error (open) or answer 503 (closed). */
    onStoreError: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
    /** A Redis call that takes longer counts as unreachable. */
    redisTimeoutMs: integer(1, LIMITS_DEFAULTS.redisTimeoutMs, 10000),
    /** Output tokens reserved (tpm, budget) for a request that sets no max_tokens. */
    defaultMaxOutputTokens: integer(1, LIMITS_DEFAULTS.defaultMaxOutputTokens),
  },
  section,
);

export const ServerSchema = Type.Object(
  {
    port: integer(0, 4000, 65535),
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    bodyLimitMb: Type.Number({ exclusiveMinimum: 0, default: 32 }),
    /** Largest `n` a request may ask for (OpenAI allows 128); on Claude each choice is one upstream request. */
    maxChoices: integer(1, 16, 128),
    /**
     * Default 8000: with the cut (≤0.5 s), the unwind (≤1 s) and the final flush after it, a stop
     * stays under Docker's 10 s before SIGKILL.
     */
    shutdownGraceMs: integer(0, 8000),
    /** Time allowed to receive a request's headers; 0 = none. */
    headersTimeoutMs: integer(0, 30000),
    /**
     * Time allowed to receive the whole body once its reading started (else 408, connection closed);
     * 0 = none. The default lets a 32 MB body arrive over a 5 Mbit/s uplink.
     */
    bodyTimeoutMs: integer(0, 60000),
    /** Open client connections in all; beyond it new ones are dropped at accept. 0 = no cap. */
    maxConnections: integer(0, 10000),
    /** Open connections from one address with no authenticated request yet; beyond it 429 and close. 0 = no cap. */
    maxUnauthenticatedPerIp: integer(0, 64),
    /**
     * Request bodies held in memory across the process (a body counts until its response ends; it
     * costs about 3x its size in RSS); beyond it 503 `server_busy` with retry-after. 0 = no cap.
     */
    maxInflightBodyMb: Type.Number({ minimum: 0, default: 512 }),
    /** Largest non-streaming upstream response body; beyond it 502 `upstream_response_too_large`. */
    maxUpstreamResponseMb: Type.Number({ exclusiveMinimum: 0, default: 64 }),
    /** Largest single server-sent event (or line) of an upstream stream; beyond it the same error. */
    maxUpstreamEventMb: Type.Number({ exclusiveMinimum: 0, default: 8 }),
    /** Most of an upstream error body read for its message; the rest is dropped unread. */
    maxUpstreamErrorMb: Type.Number({ exclusiveMinimum: 0, default: 8 }),
    /** Lets llmux listen beyond loopback while a key of the sample config (`sk-llmux-dev`) is active. */
    allowSampleKeys: Type.Optional(Type.Boolean()),
    /** Enables /admin/* (Bearer this key) and the CLI's admin commands; unset = /admin/* answers 404. */
    adminKey: Type.Optional(text(16)),
    /** `GET /metrics` wants `Authorization: Bearer` this key; unset = /metrics answers loopback clients only. */
    metricsKey: Type.Optional(text(16)),
    /** Browser clients: origins allowed (exact `https://app.example.com`, or `"*"`). Unset = no CORS. */
    cors: Type.Optional(Type.Object({ origins: Type.Array(text(), { minItems: 1 }) }, closed)),
  },
  section,
);

/** Traces (OpenTelemetry, GenAI conventions); the standard `OTEL_*` variables apply too (docs/observability.md). */
export const TelemetrySchema = Type.Object(
  {
    /** OTLP/HTTP collector: `endpoint` is the base URL (`/v1/traces` appended unless already there). */
    otlp: Type.Optional(
      Type.Object({ endpoint: Type.String({ pattern: '^https?://' }), headers: HeadersSchema }, closed),
    ),
    /** Share of new traces exported (a caller's sampled flag decides for a continued trace). */
    sampleRatio: Type.Number({ minimum: 0, maximum: 1, default: 1 }),
    /** Exports prompts and completions as span attributes; off by default. */
    captureContent: Type.Boolean({ default: false }),
    /** `service.name` of the spans; `OTEL_SERVICE_NAME` or `llmux` when unset. */
    serviceName: Type.Optional(text()),
  },
  section,
);

/** Stored Responses API responses (`store: true`, `previous_response_id`), in the store. */
export const ResponsesSchema = Type.Object(
  {
    /** Days a stored response is kept (a follow-up turn extends its whole conversation); 0 = forever. */
    retentionDays: integer(0, 30),
    /** Largest response stored (its Response object and its turn's input items, as JSON); a larger one is not kept. */
    maxStoredMb: Type.Number({ exclusiveMinimum: 0, default: 16 }),
  },
  section,
);

/** Exactly one of the two (checked after validation). */
export const STORE_DEFAULTS = {
  flushIntervalMs: 1000,
  journalSyncMs: 100,
  /** The journal directory's name, next to the SQLite file (Postgres: in ./data). */
  journalName: 'request-log.journal',
} as const;

/** Exactly one of sqlite, postgres (checked after validation); durability defaults applied in resolve. */
export const StoreSchema = Type.Object(
  {
    sqlite: Type.Optional(text()),
    postgres: Type.Optional(text()),
    /** Request log rows are written to the store in batches at least this often (and every 500 rows). */
    flushIntervalMs: Type.Optional(integer(1)),
    /** Directory of the crash journal of rows not yet in the store; `false` for none. */
    journal: Type.Optional(text()),
    /** The journal is written and fdatasynced at least this often: what a kill -9 can lose. */
    journalSyncMs: Type.Optional(integer(1, undefined, 10000)),
    /** Request log rows older than this many days are deleted (at start, then hourly); 0 or unset = keep forever. */
    retentionDays: Type.Optional(integer(0)),
  },
  { additionalProperties: false, default: { sqlite: './data/llmux.db' } },
);

export const ConfigFileSchema = Type.Object(
  {
    server: ServerSchema,
    store: StoreSchema,
    logging: Type.Object({ level: LogLevelSchema, format: LogFormatSchema }, section),
    metrics: MetricsSchema,
    providers: Type.Record(Type.String(), ProviderSchema, { default: {} }),
    models: Type.Array(ModelSchema, { default: [] }),
    router: Type.Object({ cooldown: CooldownSchema, retry: RetrySchema, timeouts: TimeoutsSchema }, section),
    keys: Type.Array(KeySchema, { default: [] }),
    teams: Type.Array(TeamSchema, { default: [] }),
    pricing: PricingSchema,
    limits: LimitsSchema,
    responses: ResponsesSchema,
    telemetry: TelemetrySchema,
    /** Redis URL shared by every replica (limits, budgets, key revocations, cooldowns); empty = in-process. */
    redis: Type.Optional(Type.String()),
  },
  closed,
);

/** The file after validation and defaults, before providers are resolved. */
export type ConfigFile = Static<typeof ConfigFileSchema>;
export type StrategyName = Static<typeof StrategyNameSchema>;
export type LogLevel = Static<typeof LogLevelSchema>;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
export type RetryConfig = Static<typeof RetrySchema>;
export type TimeoutsConfig = Static<typeof TimeoutsSchema>;
export type CooldownConfig = Static<typeof CooldownSchema>;
export type CapabilitiesConfig = Static<typeof CapabilitiesSchema>;
export type ServerConfig = Static<typeof ServerSchema>;
export type LoggingConfig = ConfigFile['logging'];
export type RouterConfig = ConfigFile['router'];
export type KeyConfig = Static<typeof KeySchema>;
export type TeamConfig = Static<typeof TeamSchema>;
export type BudgetConfig = Static<typeof BudgetSchema>;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
export type PricingConfig = Static<typeof PricingSchema>;
export type PriceOverride = Static<typeof PriceOverrideSchema>;
export type LimitsConfig = Static<typeof LimitsSchema>;
export type ResponsesConfig = Static<typeof ResponsesSchema>;
export type MetricsConfig = Static<typeof MetricsSchema>;
export type TelemetryConfig = Static<typeof TelemetrySchema>;

export type StoreConfig = ({ kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }) & {
  flushIntervalMs: number;
  /** null: no journal (`journal: false`, or an in-memory SQLite store). */
  journal: { directory: string; syncIntervalMs: number } | null;
  /** 0 = keep forever. */
  retentionDays: number;
};

/** A provider as loaded: `enabled` is false for openai/anthropic/gemini with an empty apiKey. */
export type ProviderConfig = Static<typeof ProviderSchema> & { name: string; enabled: boolean };

export interface DeploymentConfig {
  provider: string;
  /** Upstream model name; may contain "*" (replaced by the part of the public name the wildcard matched). */
  model: string;
  weight: number;
  priority: number;
  /** Provider capabilities overlaid with the deployment's; unset fields → adapter defaults. */
  capabilities: CapabilitiesConfig;
  bodyOverrides: JsonObject;
  /** Provider headers overlaid with the deployment's. */
  headers: Record<string, string>;
  /** Effective: router defaults ← provider timeouts ← model timeouts. */
  timeouts: TimeoutsConfig;
}

export interface ModelConfig {
  name: string;
  strategy: StrategyName;
  /** Only deployments on enabled providers; never empty. */
  deployments: DeploymentConfig[];
  /** Only enabled models. */
  fallbacks: string[];
  /** Router defaults ← model overrides. */
  retry: RetryConfig;
  /** Router defaults ← model overrides. */
  timeouts: TimeoutsConfig;
}

export interface DisabledModel {
  name: string;
  reason: string;
}

export interface LlmuxConfig {
  /** File name (or source label) the config came from. */
  source: string;
  server: ServerConfig;
  store: StoreConfig;
  logging: LoggingConfig;
  providers: Record<string, ProviderConfig>;
  /** Enabled models only, in file order. */
  models: ModelConfig[];
  /** Models dropped because none of their providers is enabled. */
  disabledModels: DisabledModel[];
  router: RouterConfig;
  keys: KeyConfig[];
  teams: TeamConfig[];
  pricing: PricingConfig;
  limits: LimitsConfig;
  responses: ResponsesConfig;
  metrics: MetricsConfig;
  telemetry: TelemetryConfig;
  /** Redis URL, or undefined for in-process limits and state. */
  redis: string | undefined;
  /** Human-readable notes about what was disabled and why (no secrets). */
  notices: string[];
}
