import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { findPostgres, postgresUnreachable } from '../../test/support/postgres.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { startResponseRetention } from './response-retention.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store, StoredResponseRecord } from './types.ts';

const NO_TIMER = { flushIntervalMs: 3_600_000 } as const;
const NOW = 1_800_000_000_000;

function turn(id: string, overrides: Partial<StoredResponseRecord> = {}): StoredResponseRecord {
  return {
    id,
    keyId: 'key_a',
    previousResponseId: null,
    provider: null,
    createdAt: NOW,
    expiresAt: NOW + 1000,
    response: JSON.stringify({ id, object: 'response', output: [{ type: 'message', text: `é ${id} 🚀` }] }),
    inputItems: JSON.stringify([{ id: `msg_${id}`, type: 'message', role: 'user', content: 'hi' }]),
    ...overrides,
  };
}

/** The stored-responses contract, run on SQLite and on Postgres. */
function registerResponseStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`response store: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(() => store.close());

    test('a response round-trips every field; unknown ids read undefined', async () => {
      const full = turn('resp_full', { expiresAt: Number.MAX_SAFE_INTEGER, previousResponseId: 'resp_x' });
      const upstream = turn('resp_up', { provider: 'openai', response: null, inputItems: null });
      await store.responses.save(full);
      await store.responses.save(upstream);
      assert.deepEqual(await store.responses.get('resp_full'), full, 'every field, a bigint past 2^32 included');
      assert.deepEqual(await store.responses.get('resp_up'), upstream, 'a provider-held response');
      assert.equal(await store.responses.get('resp_none'), undefined);
    });

    test('chain: oldest first in one query; a deleted turn shows as a break; depth is bounded', async () => {
      await store.responses.save(turn('resp_c1'));
      await store.responses.save(turn('resp_c2', { previousResponseId: 'resp_c1' }));
      await store.responses.save(turn('resp_c3', { previousResponseId: 'resp_c2' }));
      const chain = await store.responses.chain('resp_c3', 100);
      assert.deepEqual(
        chain.map((row) => row.id),
        ['resp_c1', 'resp_c2', 'resp_c3'],
      );
      assert.equal(chain[0]?.previousResponseId, null, 'complete: the oldest follows nothing');
      assert.deepEqual(
        (await store.responses.chain('resp_c3', 2)).map((row) => row.id),
        ['resp_c2', 'resp_c3'],
        'at most maxDepth turns',
      );
      assert.deepEqual(await store.responses.chain('resp_missing', 100), [], 'an unknown id has no chain');
      assert.equal(await store.responses.delete('resp_c2', 'key_a'), true);
      const broken = await store.responses.chain('resp_c3', 100);
      assert.deepEqual(
        broken.map((row) => row.id),
        ['resp_c3'],
      );
      assert.equal(broken[0]?.previousResponseId, 'resp_c2', 'the break is visible');
    });

    test('a follow-up moves the expiry of the turns it follows, for its key only', async () => {
      await store.responses.save(turn('resp_e1', { expiresAt: NOW + 10 }));
      await store.responses.save(turn('resp_e_other', { keyId: 'key_b', expiresAt: NOW + 10 }));
      await store.responses.save(turn('resp_e2', { previousResponseId: 'resp_e1', expiresAt: NOW + 5000 }), [
        'resp_e1',
        'resp_e_other',
      ]);
      assert.equal((await store.responses.get('resp_e1'))?.expiresAt, NOW + 5000);
      assert.equal((await store.responses.get('resp_e_other'))?.expiresAt, NOW + 10, "another key's row is untouched");
    });

    test('delete is scoped to the key', async () => {
      await store.responses.save(turn('resp_d1'));
      assert.equal(await store.responses.delete('resp_d1', 'key_b'), false, "another key's delete finds nothing");
      assert.ok(await store.responses.get('resp_d1'), 'still there');
      assert.equal(await store.responses.delete('resp_d1', 'key_a'), true);
      assert.equal(await store.responses.delete('resp_d1', 'key_a'), false, 'gone');
    });

    test('purge deletes expired rows only, in batches; the retention job runs it at start', async () => {
      const before = NOW - 1_000_000;
      for (let index = 0; index < 5; index++) {
        await store.responses.save(turn(`resp_old${index}`, { createdAt: before, expiresAt: before + index }));
      }
      await store.responses.save(turn('resp_live', { expiresAt: NOW + 1 }));
      assert.equal(await store.responses.purgeExpired(before + 2, 2), 3, 'expired at or before the time');
      const purged: number[] = [];
      const retention = startResponseRetention(store.responses, {
        now: () => NOW,
        onPurged: (deleted) => purged.push(deleted),
        onError: (error) => assert.fail(String(error)),
      });
      await retention.stop();
      assert.ok((purged[0] ?? 0) >= 2, `the two old rows left were purged at start, got ${purged.join(',')}`);
      assert.equal(await store.responses.get('resp_old4'), undefined);
      assert.ok(await store.responses.get('resp_live'), 'a live row stays');
    });
  });
}

const directory = mkdtempSync(join(tmpdir(), 'llmux-responses-'));
after(() => rmSync(directory, { recursive: true, force: true }));
registerResponseStoreContract('sqlite', () => openSqliteStore(join(directory, 'llmux.db'), NO_TIMER));

const url = await findPostgres();
if (url === undefined) {
  postgresUnreachable('response store: postgres');
} else {
  const schema = `llmux_test_${randomBytes(6).toString('hex')}`;
  registerResponseStoreContract('postgres', () => openPostgresStore(url, { ...NO_TIMER, schema }));
  after(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
}
