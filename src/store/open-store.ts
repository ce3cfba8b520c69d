import type { PostgresStoreOptions } from './postgres/postgres-store.ts';
import type { SqliteStoreOptions } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

export interface StoreConfig {
  /** Path of the embedded SQLite file (created on first start). */
  sqlite?: string;
  /** Postgres connection URL; when set it wins over `sqlite` (scaled-out mode). */
  postgres?: string;
}

export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/**
 * Opens the configured store: Postgres if a URL is given, otherwise the SQLite file. Each driver is
 * imported only when used (`pg` alone costs ~15 MB of resident memory in an embedded deployment).
 */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  if (config.postgres) {
    const { openPostgresStore } = await import('./postgres/postgres-store.ts');
    return openPostgresStore(config.postgres, options);
  }
  if (config.sqlite) {
    const { openSqliteStore } = await import('./sqlite/sqlite-store.ts');
    return openSqliteStore(config.sqlite, options);
  }
  throw new Error('no store configured: set a SQLite path or a Postgres URL');
}
