import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreDatabase } from '../database.ts';
import { createKyselyStore } from '../kysely-store.ts';
import { runMigrations } from '../migrations/index.ts';
import { REQUEST_LOG_INSERT_COLUMNS } from '../request-log-rows.ts';
import type { Store, StoreOptions } from '../types.ts';

export interface PostgresStoreOptions extends StoreOptions {
  /** Use (and create if missing) this schema instead of the connection's default; tests isolate with it. */
  schema?: string;
  /** Maximum pool connections. Default 10. */
  poolSize?: number;
}

/** Postgres allows 65 535 bound parameters per statement. */
const POSTGRES_MAX_PARAMETERS = 65_535;
const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** int8 (bigint, count(*)) as JS numbers instead of strings; only for this pool, not process-wide. */
const storeTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format),
};

/** Opens the shared Postgres store (a `pg` pool) and applies pending migrations. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid Postgres schema name "${schema}": use lowercase letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: storeTypes,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener it would crash the process.
  pool.on('error', (error) => options.onError?.(error));
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema !== undefined) await ensureSchema(db, schema);
    const current = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const migrationTableSchema = current.rows[0]?.schema;
    if (!migrationTableSchema) throw new Error('Postgres search_path names no existing schema');
    await runMigrations(db, { dialect: 'postgres', migrationTableSchema });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore({
    kind: 'postgres',
    db,
    rowsPerStatement: Math.floor(POSTGRES_MAX_PARAMETERS / REQUEST_LOG_INSERT_COLUMNS / 2),
    options,
  });
}

/** `create schema if not exists` can still fail when replicas race; it is fine if the schema exists. */
async function ensureSchema(db: Kysely<StoreDatabase>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const existing = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (existing.rows.length === 0) throw error;
  }
}
