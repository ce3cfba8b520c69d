import type { Generated } from 'kysely';

/**
 * Kysely table types shared by the SQLite and Postgres stores. Times are epoch-ms bigints,
 * booleans are 0/1 integers, JSON would be text: the same schema on both dialects.
 */
export interface RequestLogTable {
  id: Generated<number>;
  timestamp: number;
  request_id: string;
  /** Added by migration 0002. */
  client_request_id: string | null;
  key_name: string | null;
  public_model: string | null;
  provider: string | null;
  upstream_model: string | null;
  status: number;
  latency_ms: number;
  ttft_ms: number | null;
  stream: number;
  attempts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  usage_estimated: number;
  error_code: string | null;
  fallback_models: string | null;
  /** Added by migration 0003. */
  surface: string | null;
  /** Added by migration 0004 (which dropped 0003's always-null `cost_usd`). */
  key_id: string | null;
  team: string | null;
  cost_micros: number | null;
  /** Added by migration 0005: the attempts as a JSON array (request detail), null when none was made. */
  attempt_log: string | null;
}

/** Limit columns shared by managed keys and teams (null = unlimited). */
interface LimitColumns {
  rpm: number | null;
  tpm: number | null;
  max_concurrent: number | null;
  budget_micros: number | null;
  budget_period: string | null;
}

/** Managed keys (migration 0004): `models` and `metadata` are JSON text. */
export interface ApiKeysTable extends LimitColumns {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  team: string | null;
  models: string;
  expires_at: number | null;
  metadata: string | null;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

/** Managed teams (migration 0004). */
export interface TeamsTable extends LimitColumns {
  name: string;
  models: string;
  metadata: string | null;
  created_at: number;
  updated_at: number;
}

export interface StoreDatabase {
  request_log: RequestLogTable;
  api_keys: ApiKeysTable;
  teams: TeamsTable;
}
