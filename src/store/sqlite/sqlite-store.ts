import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreDatabase } from '../database.ts';
import { createKyselyStore } from '../kysely-store.ts';
import { runMigrations } from '../migrations/index.ts';
import { REQUEST_LOG_INSERT_COLUMNS, type RequestLogInsertRow } from '../request-log-rows.ts';
import type { Store, StoreOptions } from '../types.ts';

export interface SqliteStoreOptions extends StoreOptions {
  /** How long a writer waits for another connection's lock. Default 5000. */
  busyTimeoutMs?: number;
}

/** SQLite allows 32 766 bound parameters per statement. */
const SQLITE_MAX_PARAMETERS = 32_766;

/**
 * Opens (creating on first start: parent directory, file, schema) the embedded SQLite store.
 * WAL journal, `synchronous=NORMAL`: durable across process crashes, fast for batched writes.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new Database(path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  try {
    await runMigrations(db, { dialect: 'sqlite' });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore({
    kind: 'sqlite',
    db,
    insertRows: preparedRequestLogInsert(database),
    rowsPerStatement: Math.floor(SQLITE_MAX_PARAMETERS / REQUEST_LOG_INSERT_COLUMNS / 2),
    options,
  });
}

/**
 * A batch insert through one prepared statement run per row inside one transaction: cheaper than
 * compiling a 500-row multi-value INSERT for every batch (this runs on the event loop).
 */
function preparedRequestLogInsert(database: Database.Database): (rows: RequestLogInsertRow[]) => Promise<void> {
  let insertMany: ((rows: RequestLogInsertRow[]) => void) | undefined;
  return async (rows) => {
    const [first] = rows;
    if (!first) return;
    if (!insertMany) {
      const columns = Object.keys(first);
      const statement = database.prepare(
        `insert into request_log (${columns.join(', ')}) values (${columns.map((column) => `@${column}`).join(', ')})`,
      );
      insertMany = database.transaction((batch: RequestLogInsertRow[]) => {
        for (const row of batch) statement.run(row);
      });
    }
    insertMany(rows);
  };
}
