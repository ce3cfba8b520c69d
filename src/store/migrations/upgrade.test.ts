import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, type MigrationProvider, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { findPostgres, postgresUnreachable } from '../../../test/support/postgres.ts';
import { makeRequestLogRecord } from '../../../test/support/store/store-test-records.ts';
import { openPostgresStore } from '../postgres/postgres-store.ts';
import { openSqliteStore } from '../sqlite/sqlite-store.ts';
import type { Store } from '../types.ts';
import { type SqlDialectName, STORE_MIGRATIONS } from './index.ts';

// A request log created by a release that had only 0001 is upgraded in place: old rows read
// `clientRequestId: null`, new rows keep it.

const directory = mkdtempSync(join(tmpdir(), 'llmux-upgrade-'));
after(() => rmSync(directory, { recursive: true, force: true }));

/** Applies the migrations up to and including `lastName`, as an older release would have. */
async function migrateUpTo(db: Kysely<unknown>, dialect: SqlDialectName, lastName: string, schema?: string) {
  const upTo = STORE_MIGRATIONS.slice(0, STORE_MIGRATIONS.findIndex(([name]) => name === lastName) + 1);
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        upTo.map(([name, migration]) => [name, { up: (kdb: Kysely<unknown>) => migration.up(kdb, dialect) }]),
      ),
  };
  const { error } = await new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  }).migrateToLatest();
  assert.equal(error, undefined, 'the old migrations apply');
}

async function insertOldRow(db: Kysely<unknown>): Promise<void> {
  await sql`insert into request_log (timestamp, request_id, status, latency_ms, stream, attempts, usage_estimated)
            values (1, 'req_old', 200, 5, 0, 1, 0)`.execute(db);
}

async function assertUpgraded(store: Store): Promise<void> {
  store.requestLog.record(makeRequestLogRecord(7, { timestamp: 2, clientRequestId: 'client-7' }));
  await store.requestLog.flush();
  const rows = await store.listRequests({});
  assert.deepEqual(
    rows.map((row) => [row.requestId, row.clientRequestId]),
    [
      ['req_000007', 'client-7'],
      ['req_old', null],
    ],
  );
}

test('sqlite: a 0001 request log gains client_request_id', async () => {
  const path = join(directory, 'old.db');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
  await migrateUpTo(db, 'sqlite', '0001-request-log');
  await insertOldRow(db);
  await db.destroy();
  const store = await openSqliteStore(path);
  try {
    await assertUpgraded(store);
  } finally {
    await store.close();
  }
});

const postgresUrl = await findPostgres();
const postgresUpgrade = 'postgres: a 0001 request log gains client_request_id';

if (postgresUrl === undefined) postgresUnreachable(postgresUpgrade);
else test(postgresUpgrade, () => upgradesOnPostgres(postgresUrl));

async function upgradesOnPostgres(postgresUrl: string): Promise<void> {
  const schema = `llmux_upgrade_${randomBytes(6).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await migrateUpTo(db, 'postgres', '0001-request-log', schema);
    await insertOldRow(db);
    const store = await openPostgresStore(postgresUrl, { schema });
    try {
      await assertUpgraded(store);
    } finally {
      await store.close();
    }
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  }
}
