import { withoutPassword } from '../lib/credentials.ts';
import { StartupError } from '../lib/startup-error.ts';
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
    const url = config.postgres;
    return openOrExplain(
      () => openPostgresStore(url, options),
      (reason) => postgresFailure(url, reason),
    );
  }
  if (config.sqlite) {
    const { openSqliteStore } = await import('./sqlite/sqlite-store.ts');
    const path = config.sqlite;
    return openOrExplain(
      () => openSqliteStore(path, options),
      (reason) =>
        `cannot open the SQLite store ${path}: ${reason} (change store.sqlite, or make its directory writable)`,
    );
  }
  throw new Error('no store configured: set a SQLite path or a Postgres URL');
}

/** The store could not be opened at start; the message is one sentence naming the setting to change. */
export class StoreOpenError extends StartupError {
  override readonly name = 'StoreOpenError';
}

async function openOrExplain(open: () => Promise<Store>, explain: (reason: string) => string): Promise<Store> {
  try {
    return await open();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The journal's own error already names its setting.
    throw new StoreOpenError(message.includes('store.journal') ? message : explain(reasonOf(error)), { cause: error });
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused, is Postgres running there?',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  '28P01': 'password authentication failed',
  '28000': 'the server refused the connection (pg_hba.conf)',
  '3D000': 'the database does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
  SQLITE_CANTOPEN: 'the file cannot be opened or created',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_NOTADB: 'the file is not a SQLite database',
};

function reasonOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const known = REASONS[code];
  if (known) return known;
  return error instanceof Error && error.message !== '' ? error.message : String(error);
}

function postgresFailure(url: string, reason: string): string {
  return `cannot connect to the Postgres store ${withoutPassword(url, 'store.postgres')}: ${reason} (change store.postgres)`;
}
