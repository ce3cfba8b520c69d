import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeRequestLogRecord } from '../../test/support/store/store-test-records.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { JournalReplayReport, RequestLogRecord } from './types.ts';

const root = mkdtempSync(join(tmpdir(), 'llmux-journal-replay-'));
after(() => rmSync(root, { recursive: true, force: true }));

const NO_TIMER = { flushIntervalMs: 3_600_000 } as const;
const line = (record: unknown) => `${JSON.stringify(record)}\n`;
const journaledLines = (directory: string) =>
  readdirSync(directory)
    .map((name) => readFileSync(join(directory, name), 'utf8').split('\n').length - 1)
    .reduce((sum, count) => sum + count, 0);

test('a journal left by a crash is written at open: once per record, skipping rows the store already has', async () => {
  const dbPath = join(root, 'replay', 'llmux.db');
  const directory = join(root, 'replay', 'request-log.journal');
  const committed = makeRequestLogRecord(1);
  const lost = makeRequestLogRecord(2);
  const oldVersion: Partial<RequestLogRecord> = { ...makeRequestLogRecord(3) };
  delete oldVersion.fallbackModels; // written by a version without that field: stored as null

  const first = await openSqliteStore(dbPath, NO_TIMER);
  first.requestLog.record(committed);
  await first.close();
  mkdirSync(directory, { recursive: true });
  // What a kill -9 leaves: a committed batch whose segment was not deleted yet, a record written twice
  // (a write retried on a new segment), a record of an older version, a line cut short, a stray value.
  writeFileSync(join(directory, 'segment-000000000001.jsonl'), line(committed) + line(lost));
  writeFileSync(
    join(directory, 'segment-000000000002.jsonl'),
    `${line(lost)}${line(oldVersion)}[1,2]\n{"requestId":"x`,
  );

  const reports: JournalReplayReport[] = [];
  const errors: unknown[] = [];
  const store = await openSqliteStore(dbPath, {
    ...NO_TIMER,
    onError: (error) => errors.push(error),
    journal: { directory, onReplay: (report) => reports.push(report) },
  });
  assert.deepEqual(errors, [], 'no error reported');
  assert.deepEqual(reports, [{ replayed: 2, alreadyStored: 1, skippedLines: 2 }]);
  const rows = await store.listRequests({ limit: 100 });
  assert.deepEqual(
    rows.map((row) => row.requestId).sort(),
    [committed, lost, oldVersion].map((r) => r.requestId).sort(),
  );
  assert.equal(rows.find((row) => row.requestId === oldVersion.requestId)?.fallbackModels, null);
  assert.deepEqual(readdirSync(directory), [], 'the replayed segments are deleted');
  await store.close();

  const again = await openSqliteStore(dbPath, {
    ...NO_TIMER,
    journal: { directory, onReplay: (r) => reports.push(r) },
  });
  assert.equal(reports.length, 1, 'nothing to replay the second time');
  assert.equal((await again.listRequests({})).length, 3);
  await again.close();
});

test('rows recorded with a journal survive a process that never closed its store', async () => {
  const dbPath = join(root, 'abandoned', 'llmux.db');
  const directory = join(root, 'abandoned', 'request-log.journal');
  const crashed = await openSqliteStore(dbPath, { ...NO_TIMER, journal: { directory, syncIntervalMs: 10 } });
  const records = Array.from({ length: 50 }, (_, index) => makeRequestLogRecord(100 + index));
  for (const record of records) crashed.requestLog.record(record);
  const deadline = Date.now() + 2000;
  while (journaledLines(directory) < records.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  // `crashed` is abandoned without close(), its rows only in memory and in the journal.

  const reports: JournalReplayReport[] = [];
  const store = await openSqliteStore(dbPath, {
    ...NO_TIMER,
    journal: { directory, onReplay: (r) => reports.push(r) },
  });
  assert.equal(reports[0]?.replayed, records.length, 'every record was replayed');
  assert.equal((await store.listRequests({ limit: 1000 })).length, records.length);
  await store.close();
  assert.deepEqual(readdirSync(directory), [], 'a clean close leaves an empty journal');
});

test('an unusable journal directory fails the open with a message naming it', async () => {
  const blocker = join(root, 'blocked');
  writeFileSync(blocker, 'a file where the journal directory should be');
  await assert.rejects(
    openSqliteStore(join(root, 'blocked-db', 'llmux.db'), { ...NO_TIMER, journal: { directory: join(blocker, 'j') } }),
    /request log journal .*blocked.*store\.journal/,
  );
});
