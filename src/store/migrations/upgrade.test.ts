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
import { makeAttempt } from '../../../test/support/store/request-detail-contract.ts';
import { makeRequestLogRecord } from '../../../test/support/store/store-test-records.ts';
import { openPostgresStore } from '../postgres/postgres-store.ts';
import { openSqliteStore } from '../sqlite/sqlite-store.ts';
import type { Store } from '../types.ts';
import { type SqlDialectName, STORE_MIGRATIONS } from './index.ts';

// A request log created by an older release is upgraded in place: from 0001, old rows read
// `clientRequestId: null`; from 0003, old rows (with the dropped `cost_usd`) read null key id, team
// and cost, and the tenancy tables are usable. New rows keep every field.

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

/** An old release's row: at 0003 it also had `surface` and the `cost_usd` column that 0004 drops. */
async function insertOldRow(db: Kysely<unknown>, lastName: string): Promise<void> {
  if (lastName === '0001-request-log') {
    await sql`insert into request_log (timestamp, request_id, status, latency_ms, stream, attempts, usage_estimated)
              values (1, 'req_old', 200, 5, 0, 1, 0)`.execute(db);
    return;
  }
  await sql`insert into request_log (timestamp, request_id, status, latency_ms, stream, attempts, usage_estimated,
              client_request_id, surface, cost_usd)
            values (1, 'req_old', 200, 5, 0, 1, 0, null, 'openai-chat', 0.5)`.execute(db);
}

async function assertUpgraded(store: Store): Promise<void> {
  const fresh = makeRequestLogRecord(7, {
    timestamp: 2,
    clientRequestId: 'client-7',
    keyId: 'key_new',
    team: 'research',
    costMicros: 1234,
  });
  store.requestLog.record(fresh);
  await store.requestLog.flush();
  const rows = await store.listRequests({});
  assert.deepEqual(
    rows.map((row) => [row.requestId, row.clientRequestId, row.keyId, row.team, row.costMicros]),
    [
      ['req_000007', 'client-7', 'key_new', 'research', 1234],
      ['req_old', null, null, null, null],
    ],
    'old rows read null for the new columns, new rows keep them',
  );
  assert.equal(await store.spentSince({ kind: 'team', id: 'research' }, 0), 1234, 'spend reads cost_micros');
  const detailed = makeRequestLogRecord(8, { timestamp: 3, attemptLog: [makeAttempt(0)] });
  store.requestLog.record(detailed);
  await store.requestLog.flush();
  assert.deepEqual(await store.getRequest('req_000008'), detailed, 'the attempt log column (0005) exists');
  assert.equal((await store.getRequest('req_old'))?.attemptLog, undefined, 'an old row has no attempt log');
  await store.tenancy.createTeam({
    name: 'research',
    models: ['*'],
    rpm: null,
    tpm: null,
    maxConcurrent: null,
    budgetMicros: null,
    budgetPeriod: null,
    metadata: null,
    createdAt: 3,
    updatedAt: 3,
  });
  assert.equal((await store.tenancy.listTeams({})).total, 1, 'the tenancy tables exist');
}

const OLD_RELEASES = ['0001-request-log', '0003-surface-and-cost'];

for (const lastName of OLD_RELEASES) {
  test(`sqlite: a ${lastName} request log is upgraded in place`, async () => {
    const path = join(directory, `${lastName}.db`);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(path) }) });
    await migrateUpTo(db, 'sqlite', lastName);
    await insertOldRow(db, lastName);
    await db.destroy();
    const store = await openSqliteStore(path);
    try {
      await assertUpgraded(store);
    } finally {
      await store.close();
    }
  });
}

const postgresUrl = await findPostgres();

for (const lastName of OLD_RELEASES) {
  const name = `postgres: a ${lastName} request log is upgraded in place`;
  if (postgresUrl === undefined) postgresUnreachable(name);
  else test(name, () => upgradesOnPostgres(postgresUrl, lastName));
}

async function upgradesOnPostgres(postgresUrl: string, lastName: string): Promise<void> {
  const schema = `llmux_upgrade_${randomBytes(6).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await migrateUpTo(db, 'postgres', lastName, schema);
    await insertOldRow(db, lastName);
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
