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
  cost_usd: number | null;
}

export interface StoreDatabase {
  request_log: RequestLogTable;
}
