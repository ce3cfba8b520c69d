/** Shapes of the admin API as the console reads them (see docs/console.md and src/admin/). */

export type Range = '1h' | '24h' | '7d' | '30d';
export type GroupBy = 'none' | 'model' | 'key' | 'team' | 'provider';

export interface SeriesPoint {
  t: number;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

export interface Timeseries {
  range: Range;
  bucketMs: number;
  from: number;
  to: number;
  series: Array<{ group: string | null; points: SeriesPoint[] }>;
}

export interface Summary {
  range: Range;
  requests: number;
  errors: number;
  errorRate: number;
  requestsPerSecond: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  topKeys: Array<{ keyName: string | null; team: string | null; requests: number; costUsd: number }>;
}

export type BudgetPeriod = 'day' | 'week' | 'month' | 'total';

export interface BudgetStatus {
  period: string;
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  remainingUsd: number;
  periodStart: string | null;
  resetsAt: string | null;
}

export interface Limits {
  rpm: number | null;
  tpm: number | null;
  maxConcurrent: number | null;
  budget: { usd: number; period: BudgetPeriod } | null;
}

export interface KeyView extends Limits {
  id: string;
  name: string;
  prefix: string | null;
  static: boolean;
  team: string | null;
  models: string[];
  expiresAt: string | null;
  expired: boolean;
  revoked: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  revokedAt: string | null;
  spend?: BudgetStatus | null;
  lastUsedAt?: string | number | null;
}

export interface CreatedKey extends KeyView {
  key: string;
}

export interface TeamView extends Limits {
  name: string;
  static: boolean;
  models: string[];
  createdAt: string | null;
  spend?: BudgetStatus | null;
}

export interface ListOf<T> {
  object: 'list';
  data: T[];
  total?: number;
  has_more?: boolean;
}

export interface AttemptRecord {
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
}

export interface RequestRecord {
  timestamp: string | number;
  requestId: string;
  clientRequestId: string | null;
  keyName: string | null;
  keyId: string | null;
  team: string | null;
  publicModel: string | null;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  stream: boolean;
  attempts: number | AttemptRecord[];
  attemptLog?: AttemptRecord[];
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteTokens?: number | null;
  reasoningTokens: number | null;
  usageEstimated: boolean;
  costUsd: number | null;
  surface: string | null;
  errorCode: string | null;
  errorMessage?: string | null;
  fallbackModels: string | null;
}

export interface RequestPage extends ListOf<RequestRecord> {
  /** Cursor for the next (older) page when there is one. */
  nextBefore?: string | number | null;
}

export interface Price {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
  cachedInputPerMTokUsd: number | null;
}

export interface DeploymentView {
  id: string;
  provider: string;
  providerType: string | null;
  upstreamModel: string;
  state: 'closed' | 'open' | 'half_open';
  inFlight: number;
  latencyAvgMs: number | null;
  recentErrors: Array<{ at: number; code: string; message: string }>;
  price: Price | null;
}

export interface ModelView {
  name: string;
  wildcard: boolean;
  deployments: DeploymentView[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}
