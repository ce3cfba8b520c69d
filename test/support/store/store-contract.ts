import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { JournalReplayReport, RequestLogRecord, Store, StoreOptions } from '../../../src/store/types.ts';
import { registerRequestDetailContract } from './request-detail-contract.ts';
import { registerStatsContract } from './stats-contract.ts';
import { makeEdgeCaseRecords, makeRequestLogRecord } from './store-test-records.ts';
import { registerTenancyContract } from './tenancy-contract.ts';
import { registerUsageContract } from './usage-contract.ts';

/** What a store implementation's test file provides to the shared contract suite. */
export interface StoreTestHarness {
  /** Opens a store on the implementation's test database (the same database every time). */
  open(options?: StoreOptions): Promise<Store>;
  /** Deletes every request log row, managed key and team (run before each test). */
  clear(): Promise<void>;
  /** Makes request log writes fail (e.g. renames the table), keeping the data. */
  breakWrites(): Promise<void>;
  /** Undoes `breakWrites()`. */
  repairWrites(): Promise<void>;
  /** Releases the test database. */
  dispose(): Promise<void>;
}

const NO_TIMER = { flushIntervalMs: 3_600_000 } as const;

/** Registers the store contract tests (node:test) for one implementation. */
export function registerStoreContract(name: string, createHarness: () => Promise<StoreTestHarness>): void {
  describe(`store contract: ${name}`, () => {
    let harness: StoreTestHarness;
    const open = (options: StoreOptions = NO_TIMER): Promise<Store> => harness.open(options);

    before(async () => {
      harness = await createHarness();
    });
    after(async () => {
      await harness?.dispose();
    });
    beforeEach(async () => {
      await harness.clear();
    });

    test('migrations are idempotent: opening twice keeps schema and data', async () => {
      const first = await open();
      first.requestLog.record(makeRequestLogRecord(1));
      await first.close();
      const second = await open();
      assert.equal((await second.listRequests({})).length, 1);
      await second.close();
    });

    test('every field round-trips exactly, newest first', async () => {
      const store = await open();
      const plain = Array.from({ length: 20 }, (_, index) => makeRequestLogRecord(100 + index));
      const tied = [makeRequestLogRecord(200, { timestamp: 5 }), makeRequestLogRecord(201, { timestamp: 5 })];
      const written = [...plain, ...makeEdgeCaseRecords(), ...tied];
      for (const record of written) store.requestLog.record(record);
      await store.requestLog.flush();
      const listed = await store.listRequests({ limit: 1000 });
      assert.deepEqual(listed, newestFirst(written));
      await store.close();
    });

    test('client-chosen text is capped: a 20 MB model name does not cost 20 MB a row', async () => {
      const store = await open();
      const huge = 'm'.repeat(20 * 1024 * 1024);
      store.requestLog.record(makeRequestLogRecord(1, { publicModel: huge, upstreamModel: huge, errorCode: huge }));
      await store.requestLog.flush();
      const [row] = await store.listRequests({});
      assert.ok(row, 'the row was written');
      for (const value of [row.publicModel, row.upstreamModel, row.errorCode]) {
        assert.ok(value !== null && value.length <= 256, `capped to 256 chars, got ${value?.length}`);
        assert.ok(value.startsWith('mmm') && value.endsWith('…[truncated]'), 'prefix kept, marked as cut');
      }
      await store.close();
    });

    test('listRequests filters by key, model and time and honours limit', async () => {
      const store = await open();
      for (let index = 0; index < 30; index++) {
        store.requestLog.record(
          makeRequestLogRecord(index, {
            keyName: index % 3 === 0 ? 'key-x' : 'key-y',
            publicModel: index % 2 === 0 ? 'model-even' : 'model-odd',
          }),
        );
      }
      await store.requestLog.flush();
      const byKey = await store.listRequests({ keyName: 'key-x' });
      assert.equal(byKey.length, 10);
      assert.ok(byKey.every((record) => record.keyName === 'key-x'));
      const byModel = await store.listRequests({ publicModel: 'model-odd', keyName: 'key-x' });
      assert.deepEqual(
        byModel.map((record) => record.requestId),
        ['req_000027', 'req_000021', 'req_000015', 'req_000009', 'req_000003'],
      );
      const since = await store.listRequests({ since: makeRequestLogRecord(25).timestamp });
      assert.equal(since.length, 5);
      const limited = await store.listRequests({ limit: 4 });
      assert.deepEqual(
        limited.map((record) => record.requestId),
        ['req_000029', 'req_000028', 'req_000027', 'req_000026'],
      );
      await store.close();
    });

    test('ping answers; pruneRequests deletes only rows older than the cut-off, in batches', async () => {
      const store = await open();
      await store.ping();
      const cutoff = 1_750_000_000_000 + 7;
      for (let index = 0; index < 12; index++) store.requestLog.record(makeRequestLogRecord(index));
      await store.requestLog.flush();
      assert.equal(await store.pruneRequests(cutoff, 3), 7, 'the seven rows before the cut-off are deleted');
      const kept = await store.listRequests({ limit: 100 });
      assert.deepEqual(
        kept.map((row) => row.requestId),
        ['req_000011', 'req_000010', 'req_000009', 'req_000008', 'req_000007'],
        'rows at or after the cut-off are kept',
      );
      assert.equal(await store.pruneRequests(cutoff, 3), 0, 'nothing left to prune');
      await store.close();
    });

    test('records are buffered until flush', async () => {
      const store = await open();
      for (let index = 0; index < 3; index++) store.requestLog.record(makeRequestLogRecord(index));
      await delay(30);
      assert.equal((await store.listRequests({})).length, 0);
      assert.equal(store.requestLog.stats().buffered, 3);
      await store.requestLog.flush();
      assert.equal((await store.listRequests({})).length, 3);
      assert.equal(store.requestLog.stats().buffered, 0);
      await store.close();
    });

    test('the interval timer flushes without an explicit flush', async () => {
      const store = await open({ flushIntervalMs: 25 });
      store.requestLog.record(makeRequestLogRecord(1));
      const deadline = Date.now() + 3000;
      while ((await store.listRequests({})).length === 0 && Date.now() < deadline) await delay(10);
      assert.equal((await store.listRequests({})).length, 1);
      await store.close();
    });

    test('close() flushes buffered records; records after close are dropped', async () => {
      const store = await open();
      for (let index = 0; index < 5; index++) store.requestLog.record(makeRequestLogRecord(index));
      await store.close();
      store.requestLog.record(makeRequestLogRecord(99));
      assert.equal(store.requestLog.stats().dropped, 1);
      const reopened = await open();
      assert.equal((await reopened.listRequests({})).length, 5);
      await reopened.close();
    });

    test('1200 records are written in 3 batches of at most 500', async () => {
      const store = await open();
      for (let index = 0; index < 1200; index++) store.requestLog.record(makeRequestLogRecord(index));
      await store.requestLog.flush();
      assert.deepEqual(store.requestLog.stats(), {
        buffered: 0,
        written: 1200,
        dropped: 0,
        failedFlushes: 0,
        batches: 3,
      });
      assert.equal((await store.listRequests({ limit: 2000 })).length, 1200);
      await store.close();
    });

    test('a failed flush keeps its rows, in order, and a later flush writes them', async () => {
      const errors: unknown[] = [];
      const store = await open({ ...NO_TIMER, maxBatch: 5, onError: (error) => errors.push(error) });
      await harness.breakWrites();
      let repaired = false;
      try {
        // Reaching maxBatch starts a background flush: its failure goes to onError, not to record().
        for (let index = 0; index < 5; index++) store.requestLog.record(makeRequestLogRecord(index));
        const deadline = Date.now() + 3000;
        while (errors.length === 0 && Date.now() < deadline) await delay(5);
        assert.equal(errors.length, 1);
        assert.equal(store.requestLog.stats().failedFlushes, 1);
        // An explicit flush rejects; the rows stay buffered.
        store.requestLog.record(makeRequestLogRecord(5));
        await assert.rejects(store.requestLog.flush());
        assert.equal(store.requestLog.stats().failedFlushes, 2);
        assert.equal(store.requestLog.stats().buffered, 6);
        assert.equal(errors.length, 1);
        await harness.repairWrites();
        repaired = true;
        store.requestLog.record(makeRequestLogRecord(6));
        await store.requestLog.flush();
        const listed = await store.listRequests({});
        assert.deepEqual(
          listed.map((record) => record.requestId),
          Array.from({ length: 7 }, (_, index) => makeRequestLogRecord(6 - index).requestId),
        );
        assert.equal(store.requestLog.stats().buffered, 0);
        assert.equal(store.requestLog.stats().dropped, 0);
      } finally {
        if (!repaired) await harness.repairWrites();
        await store.close();
      }
    });

    test('a journal left by a crash is replayed at open, once: rows the store already has are skipped', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'llmux-contract-journal-'));
      try {
        const committed = makeRequestLogRecord(1);
        const lost = makeRequestLogRecord(2);
        const first = await open();
        first.requestLog.record(committed);
        await first.close();
        const lines = [committed, lost, lost].map((record) => `${JSON.stringify(record)}\n`).join('');
        writeFileSync(join(directory, 'segment-000000000001.jsonl'), `${lines}{"requestId":"cut sh`);
        const reports: JournalReplayReport[] = [];
        const store = await open({ ...NO_TIMER, journal: { directory, onReplay: (report) => reports.push(report) } });
        assert.deepEqual(reports, [{ replayed: 1, alreadyStored: 1, skippedLines: 1 }]);
        const listed = await store.listRequests({});
        assert.deepEqual(listed.map((record) => record.requestId).sort(), [committed.requestId, lost.requestId].sort());
        assert.deepEqual(readdirSync(directory), [], 'replayed segments are deleted');
        await store.close();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    registerTenancyContract(() => open());
    registerUsageContract(() => open());
    registerStatsContract(() => open());
    registerRequestDetailContract((options) => open(options));

    test('throughput (printed, not asserted)', async (context) => {
      const store = await open();
      const count = 20_000;
      const records = Array.from({ length: count }, (_, index) => makeRequestLogRecord(index));
      const started = performance.now();
      for (const record of records) store.requestLog.record(record);
      const recorded = performance.now();
      await store.requestLog.flush();
      const flushed = performance.now();
      const rowsPerSecond = Math.round(count / ((flushed - started) / 1000));
      const recordMicros = (((recorded - started) * 1000) / count).toFixed(2);
      const message = `${name}: ${count} rows in ${(flushed - started).toFixed(0)} ms = ${rowsPerSecond} rows/s (batches of 500; record() ${recordMicros} µs/row)`;
      context.diagnostic(message);
      assert.equal(store.requestLog.stats().written, count);
      await store.close();
    });
  });
}

function newestFirst(records: readonly RequestLogRecord[]): RequestLogRecord[] {
  // Stable sort on timestamp desc; ties keep reverse insertion order.
  return [...records].reverse().sort((left, right) => right.timestamp - left.timestamp);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
