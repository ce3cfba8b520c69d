import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { findPostgres, postgresUnreachable } from '../../../test/support/postgres.ts';
import { registerStoreContract, type StoreTestHarness } from '../../../test/support/store/store-contract.ts';
import { openPostgresStore } from './postgres-store.ts';

const url = await findPostgres();
const freshSchema = (): string => `llmux_test_${randomBytes(6).toString('hex')}`;

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

if (url === undefined) {
  postgresUnreachable('store contract: postgres');
} else {
  registerStoreContract('postgres', async () => {
    const schema = freshSchema();
    await (await openPostgresStore(url, { schema })).close();
    const raw = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await raw.connect();
    const harness: StoreTestHarness = {
      open: (options) => openPostgresStore(url, { ...options, schema }),
      clear: async () => {
        await raw.query('delete from request_log; delete from api_keys; delete from teams');
      },
      breakWrites: async () => {
        await raw.query('alter table request_log rename to request_log_broken');
      },
      repairWrites: async () => {
        await raw.query('alter table request_log_broken rename to request_log');
      },
      dispose: async () => {
        await raw.query(`drop schema "${schema}" cascade`);
        await raw.end();
      },
    };
    return harness;
  });

  test('postgres: replicas starting at once migrate one schema safely', async () => {
    const schema = freshSchema();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url, { schema })));
      assert.deepEqual(
        stores.map((store) => store.kind),
        ['postgres', 'postgres', 'postgres'],
      );
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await dropSchema(url, schema);
    }
  });

  test('postgres: rejects an unsafe schema name', async () => {
    await assert.rejects(openPostgresStore(url, { schema: 'x"; drop table y; --' }), /invalid Postgres schema name/);
  });
}
