import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRequestLogRecord } from '../../test/support/store/store-test-records.ts';
import { startRetention } from './retention.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Polls (the retention timer is unref'd: it alone would not keep the test alive). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    assert.ok(waited < 3000, 'the condition became true within 3 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('store.retentionDays: old rows are pruned at start and then on every interval', async () => {
  const store = await openSqliteStore(':memory:', { flushIntervalMs: 3_600_000 });
  let now = 100 * DAY_MS;
  store.requestLog.record(makeRequestLogRecord(1, { timestamp: now - 31 * DAY_MS }));
  store.requestLog.record(makeRequestLogRecord(2, { timestamp: now - 10 * DAY_MS }));
  await store.requestLog.flush();
  const pruned: number[] = [];
  const retention = startRetention(store, {
    days: 30,
    intervalMs: 20,
    now: () => now,
    onPruned: (deleted) => pruned.push(deleted),
  });
  await until(() => pruned.length === 1);
  assert.deepEqual(
    (await store.listRequests({})).map((row) => row.requestId),
    ['req_000002'],
    'the 31-day-old row is gone at start, the 10-day-old one kept',
  );
  now += 25 * DAY_MS;
  await until(() => pruned.length === 2);
  assert.deepEqual(await store.listRequests({}), [], 'the next run prunes the row that aged past 30 days');
  assert.deepEqual(pruned, [1, 1], 'each run reports what it deleted');
  await retention.stop();
  await store.close();
});

test('store.retentionDays 0 keeps every row', async () => {
  const store = await openSqliteStore(':memory:', { flushIntervalMs: 3_600_000 });
  store.requestLog.record(makeRequestLogRecord(1, { timestamp: 0 }));
  await store.requestLog.flush();
  const retention = startRetention(store, { days: 0, intervalMs: 5 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal((await store.listRequests({})).length, 1, 'nothing is pruned with retention off');
  await retention.stop();
  await store.close();
});
