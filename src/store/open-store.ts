import { openPostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.ts';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

export interface StoreConfig {
  /** Path of the embedded SQLite file (created on first start). */
  sqlite?: string;
  /** Postgres connection URL; when set it wins over `sqlite` (scaled-out mode). */
  postgres?: string;
}

export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** Opens the configured store: Postgres if a URL is given, otherwise the SQLite file. */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  if (config.postgres) return openPostgresStore(config.postgres, options);
  if (config.sqlite) return openSqliteStore(config.sqlite, options);
  throw new Error('no store configured: set a SQLite path or a Postgres URL');
}
