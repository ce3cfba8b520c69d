import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AttemptRecord, RequestLogRecord, Store, StoreOptions } from '../../../src/store/types.ts';
import { makeRequestLogRecord } from './store-test-records.ts';

const NO_TIMER = { flushIntervalMs: 3_600_000 } as const;

export function makeAttempt(index: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    publicModel: 'gpt-4o-mini',
    provider: index % 2 === 0 ? 'openai' : 'azure',
    deployment: `gpt-4o-mini#${index % 2}`,
    upstreamModel: 'gpt-4o-mini-2024-07-18',
    startedAt: 1_750_000_000_000 + index * 100,
    durationMs: 40 + index,
    outcome: index === 0 ? '5xx' : 'ok',
    status: index === 0 ? 503 : null,
    errorCode: index === 0 ? 'upstream_error' : null,
    fallback: false,
    ...overrides,
  };
}

/** The request detail (attempt log) and the request log's keyset pages, inside the store contract's describe. */
export function registerRequestDetailContract(open: (options?: StoreOptions) => Promise<Store>): void {
  const withStore = (body: (store: Store) => Promise<void>) => async () => {
    const store = await open(NO_TIMER);
    try {
      await body(store);
    } finally {
      await store.close();
    }
  };

  test(
    'last use of keys: the newest row of each key asked for; keys never used are absent',
    withStore(async (store) => {
      store.requestLog.record(makeRequestLogRecord(1, { keyId: 'key_a', timestamp: 1_000 }));
      store.requestLog.record(makeRequestLogRecord(2, { keyId: 'key_a', timestamp: 3_000 }));
      store.requestLog.record(makeRequestLogRecord(3, { keyId: 'key_a', timestamp: 2_000 }));
      store.requestLog.record(makeRequestLogRecord(4, { keyId: 'key_b', timestamp: 5_000 }));
      store.requestLog.record(makeRequestLogRecord(5, { keyId: 'key_c', timestamp: 9_000 }));
      await store.requestLog.flush();
      const lastUsed = await store.lastUsedAt(['key_a', 'key_b', 'key_never', 'key_a']);
      assert.deepEqual(
        [...lastUsed].sort(),
        [
          ['key_a', 3_000],
          ['key_b', 5_000],
        ],
        'newest per key, only the keys asked for',
      );
    }),
  );

  test(
    'request detail: the attempt log round-trips; lists leave it out; an unknown id is undefined',
    withStore(async (store) => {
      const attempts = [makeAttempt(0), makeAttempt(1, { fallback: true, spanId: '00f067aa0ba902b7' })];
      const record = makeRequestLogRecord(1, { attempts: 2, attemptLog: attempts });
      store.requestLog.record(record);
      store.requestLog.record(makeRequestLogRecord(2));
      await store.requestLog.flush();
      assert.deepEqual(await store.getRequest(record.requestId), record, 'every field, attempts included');
      assert.deepEqual(await store.getRequest('req_000002'), makeRequestLogRecord(2), 'no attempts: no attemptLog');
      assert.equal(await store.getRequest('req_nope'), undefined);
      const [listed] = await store.listRequests({ limit: 1, before: { timestamp: record.timestamp + 1 } });
      assert.ok(listed !== undefined && !('attemptLog' in listed), 'a list row carries no attempt log');
    }),
  );

  test(
    'request detail: the attempt log is bounded (32 attempts, text capped, junk fields dropped)',
    withStore(async (store) => {
      const huge = 'd'.repeat(100_000);
      const many = Array.from({ length: 40 }, (_, index) => makeAttempt(index, { deployment: huge }));
      const junk = { ...makeAttempt(0), prompt: 'secret prompt', outcome: 'exploded', durationMs: Number.NaN };
      store.requestLog.record(makeRequestLogRecord(1, { attemptLog: many }));
      store.requestLog.record(makeRequestLogRecord(2, { attemptLog: [junk as unknown as AttemptRecord] }));
      await store.requestLog.flush();
      const stored = (await store.getRequest('req_000001'))?.attemptLog ?? [];
      assert.equal(stored.length, 32, 'the first 32 attempts are kept');
      assert.ok(
        stored.every((attempt) => attempt.deployment.length <= 256),
        'client-chosen text capped like the columns',
      );
      assert.deepEqual((await store.getRequest('req_000002'))?.attemptLog, [
        { ...makeAttempt(0), outcome: 'error', durationMs: 0 },
      ]);
    }),
  );

  test(
    'request log pages: newest first, the cursor continues through rows with the same timestamp',
    withStore(async (store) => {
      const records = Array.from({ length: 7 }, (_, index) =>
        makeRequestLogRecord(index, { timestamp: 1_750_000_000_000 + Math.floor(index / 3) }),
      );
      for (const record of records) store.requestLog.record(record);
      await store.requestLog.flush();
      const seen: string[] = [];
      let page = await store.listRequestPage({ limit: 2 });
      const pages = [page.records.length];
      seen.push(...page.records.map((row) => row.requestId));
      while (page.next !== null) {
        page = await store.listRequestPage({ limit: 2, before: page.next });
        pages.push(page.records.length);
        seen.push(...page.records.map((row) => row.requestId));
      }
      assert.deepEqual(pages, [2, 2, 2, 1], 'four pages, the last one short and without a cursor');
      assert.deepEqual(seen, [
        'req_000006',
        'req_000005',
        'req_000004',
        'req_000003',
        'req_000002',
        'req_000001',
        'req_000000',
      ]);
      const exact = await store.listRequestPage({ limit: 7 });
      assert.equal(exact.next, null, 'a page that ends the log has no cursor');
      const older = await store.listRequestPage({ before: { timestamp: 1_750_000_000_001 } });
      assert.deepEqual(
        older.records.map((row) => row.requestId),
        ['req_000002', 'req_000001', 'req_000000'],
        'a bare timestamp cursor: strictly older rows',
      );
      const filtered = await store.listRequestPage({ status: 404 });
      assert.deepEqual(filtered, { records: [], next: null });
    }),
  );

  test('request detail: a journal left by a crash brings the attempt log back; a broken one reads as none', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'llmux-detail-journal-'));
    try {
      const lost: RequestLogRecord = makeRequestLogRecord(1, { attemptLog: [makeAttempt(0), makeAttempt(1)] });
      const broken = { ...makeRequestLogRecord(2), attemptLog: 'not a list' };
      const old = { ...makeRequestLogRecord(3) } as Partial<RequestLogRecord>;
      delete old.attemptLog;
      const lines = [lost, broken, old].map((record) => `${JSON.stringify(record)}\n`).join('');
      writeFileSync(join(directory, 'segment-000000000001.jsonl'), lines);
      const store = await open({ ...NO_TIMER, journal: { directory } });
      try {
        assert.deepEqual(await store.getRequest(lost.requestId), lost);
        assert.equal((await store.getRequest('req_000002'))?.attemptLog, undefined);
        assert.equal((await store.getRequest('req_000003'))?.attemptLog, undefined);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
}
