import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { registerStoreContract, type StoreTestHarness } from '../../../test/support/store/store-contract.ts';
import { openSqliteStore } from './sqlite-store.ts';

const directory = mkdtempSync(join(tmpdir(), 'llmux-sqlite-'));
after(() => rmSync(directory, { recursive: true, force: true }));

registerStoreContract('sqlite', async () => {
  const path = join(directory, 'contract', 'llmux.db');
  // Open once so the file and schema exist for the raw connection used by the harness.
  await (await openSqliteStore(path)).close();
  const raw = new Database(path);
  raw.pragma('busy_timeout = 5000');
  const harness: StoreTestHarness = {
    open: (options) => openSqliteStore(path, options),
    clear: async () => {
      raw.exec('delete from request_log; delete from api_keys; delete from teams');
    },
    breakWrites: async () => {
      raw.exec('alter table request_log rename to request_log_broken');
    },
    repairWrites: async () => {
      raw.exec('alter table request_log_broken rename to request_log');
    },
    dispose: async () => {
      raw.close();
    },
  };
  return harness;
});

test('sqlite: creates parent directories and the file on first start, in WAL mode', async () => {
  const path = join(directory, 'a', 'b', 'c', 'first-start.db');
  assert.equal(existsSync(path), false);
  const store = await openSqliteStore(path);
  assert.equal(store.kind, 'sqlite');
  await store.close();
  assert.equal(existsSync(path), true);
  const raw = new Database(path, { readonly: true });
  try {
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    const names = raw.prepare("select name from sqlite_master where type in ('table', 'index') order by name").all();
    assert.deepEqual(
      names.map((row) => (row as { name: string }).name).filter((name) => !name.startsWith('sqlite_')),
      [
        'api_keys',
        'api_keys_created_at_idx',
        'api_keys_team_idx',
        'kysely_migration',
        'kysely_migration_lock',
        'request_log',
        'request_log_key_id_timestamp_idx',
        'request_log_key_name_timestamp_idx',
        'request_log_public_model_timestamp_idx',
        'request_log_request_id_idx',
        'request_log_team_timestamp_idx',
        'request_log_timestamp_idx',
        'responses',
        'responses_expires_at_idx',
        'teams',
      ],
    );
  } finally {
    raw.close();
  }
});
