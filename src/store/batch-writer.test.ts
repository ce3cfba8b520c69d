import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BatchSink, BatchWriter, type WriteAheadJournal } from './batch-writer.ts';

const NO_TIMER = { flushIntervalMs: 3_600_000 } as const;

interface FakeSink {
  sink: BatchSink<number>;
  written: number[];
  batchSizes: number[];
  maxConcurrent: number;
  failNext: number;
}

function fakeSink(): FakeSink {
  let active = 0;
  const fake: FakeSink = {
    written: [],
    batchSizes: [],
    maxConcurrent: 0,
    failNext: 0,
    sink: async (batch) => {
      active++;
      fake.maxConcurrent = Math.max(fake.maxConcurrent, active);
      await new Promise((resolve) => setTimeout(resolve, 2));
      active--;
      if (fake.failNext > 0) {
        fake.failNext--;
        throw new Error('write failed');
      }
      fake.written.push(...batch);
      fake.batchSizes.push(batch.length);
    },
  };
  return fake;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, index) => from + index);

test('batches are capped at maxBatch and flushes never overlap', async () => {
  const fake = fakeSink();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, maxBatch: 10 });
  const flushes: Promise<void>[] = [];
  for (let value = 0; value < 95; value++) {
    writer.record(value);
    if (value % 7 === 0) flushes.push(writer.flush());
  }
  await Promise.all(flushes);
  await writer.flush();
  assert.deepEqual(fake.written, range(0, 95));
  assert.ok(fake.batchSizes.every((size) => size <= 10));
  assert.equal(fake.maxConcurrent, 1);
  assert.deepEqual(writer.stats(), {
    buffered: 0,
    written: 95,
    dropped: 0,
    failedFlushes: 0,
    batches: fake.batchSizes.length,
  });
  await writer.close();
});

test('flush() waits for the in-flight flush, then writes the remainder', async () => {
  const fake = fakeSink();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, maxBatch: 5 });
  for (let value = 0; value < 5; value++) writer.record(value); // starts a background flush
  writer.record(5);
  writer.record(6);
  await writer.flush();
  assert.deepEqual(fake.written, range(0, 7));
  assert.deepEqual(fake.batchSizes, [5, 2]);
  await writer.close();
});

test('failed batches are retried in order by the next flush', async () => {
  const fake = fakeSink();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, maxBatch: 4 });
  fake.failNext = 2;
  for (let value = 0; value < 3; value++) writer.record(value);
  await assert.rejects(writer.flush(), /write failed/);
  writer.record(3);
  writer.record(4);
  await assert.rejects(writer.flush(), /write failed/);
  assert.equal(writer.stats().buffered, 5);
  writer.record(5);
  await writer.flush();
  assert.deepEqual(fake.written, range(0, 6));
  assert.deepEqual(writer.stats(), { buffered: 0, written: 6, dropped: 0, failedFlushes: 2, batches: 2 });
  await writer.close();
});

test('beyond maxBuffered the oldest records are dropped and counted', async () => {
  const fake = fakeSink();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, maxBatch: 5, maxBuffered: 10 });
  fake.failNext = 1_000;
  for (let value = 0; value < 25; value++) writer.record(value);
  await assert.rejects(writer.flush());
  assert.equal(writer.stats().buffered, 10);
  assert.equal(writer.stats().dropped, 15);
  fake.failNext = 0;
  await writer.flush();
  assert.deepEqual(fake.written, range(15, 25));
  await writer.close();
});

test('background failures go to onError, never to record(); a throwing onError is contained', async () => {
  const fake = fakeSink();
  const errors: unknown[] = [];
  const writer = new BatchWriter(fake.sink, {
    flushIntervalMs: 10,
    maxBatch: 3,
    onError: (error) => {
      errors.push(error);
      throw new Error('reporter broke');
    },
  });
  fake.failNext = 2;
  for (let value = 0; value < 3; value++) writer.record(value); // size-triggered flush fails
  const deadline = Date.now() + 2000;
  while (fake.written.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(fake.written, [0, 1, 2]); // the interval timer retried
  assert.equal(errors.length, 2);
  await writer.close();
});

test('while writes fail, reaching maxBatch again does not retry on every record', async () => {
  const fake = fakeSink();
  let calls = 0;
  const counting: BatchSink<number> = (batch) => {
    calls++;
    return fake.sink(batch);
  };
  const writer = new BatchWriter(counting, { ...NO_TIMER, maxBatch: 2, onError: () => undefined });
  fake.failNext = 1_000;
  for (let value = 0; value < 2; value++) writer.record(value);
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let value = 2; value < 50; value++) writer.record(value);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(calls, 1);
  fake.failNext = 0;
  await writer.close();
  assert.deepEqual(fake.written, range(0, 50));
});

test('close() flushes; records after close are dropped', async () => {
  const fake = fakeSink();
  const writer = new BatchWriter(fake.sink, NO_TIMER);
  writer.record(1);
  await writer.close();
  writer.record(2);
  assert.deepEqual(fake.written, [1]);
  assert.equal(writer.stats().dropped, 1);
});

interface FakeJournal extends WriteAheadJournal<number> {
  appended: number[];
  released: number;
  closed: boolean;
}

function fakeJournal(): FakeJournal {
  const journal: FakeJournal = {
    appended: [],
    released: 0,
    closed: false,
    append: (value) => journal.appended.push(value),
    release: (count) => {
      assert.ok(count >= journal.released, `release never goes back (${count} after ${journal.released})`);
      journal.released = count;
    },
    close: async () => {
      journal.closed = true;
    },
  };
  return journal;
}

test('the journal gets every accepted record, in order, and is released only up to what the store has', async () => {
  const fake = fakeSink();
  const journal = fakeJournal();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, maxBatch: 4, journal });
  for (let value = 0; value < 3; value++) writer.record(value);
  assert.deepEqual(journal.appended, [0, 1, 2], 'appended synchronously in record()');
  assert.equal(journal.released, 0, 'nothing released before a write');
  fake.failNext = 1;
  await assert.rejects(writer.flush(), /write failed/);
  assert.equal(journal.released, 0, 'a failed batch is not released');
  await writer.flush();
  assert.equal(journal.released, 3, 'released once written');
  for (let value = 3; value < 10; value++) writer.record(value); // 4 of them start a background flush
  await writer.flush();
  assert.equal(journal.released, 10);
  assert.deepEqual(journal.appended, range(0, 10));
  await writer.close();
  assert.equal(journal.closed, true, 'close() closes the journal');
  writer.record(10);
  assert.deepEqual(journal.appended, range(0, 10), 'records refused after close are not journaled');
});

test('records dropped beyond maxBuffered are released from the journal (it stays bounded too)', async () => {
  const fake = fakeSink();
  const journal = fakeJournal();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, maxBatch: 5, maxBuffered: 10, journal });
  fake.failNext = 1_000;
  for (let value = 0; value < 25; value++) writer.record(value);
  await assert.rejects(writer.flush());
  assert.equal(journal.released, 15, 'the 15 dropped oldest records are released');
  fake.failNext = 0;
  await writer.flush();
  assert.equal(journal.released, 25);
  await writer.close();
});

test('while a batch is in flight, the journal keeps it even if later records are dropped', async () => {
  const journal = fakeJournal();
  let finishWrite: (() => void) | undefined;
  const slowSink: BatchSink<number> = () =>
    new Promise<void>((resolve) => {
      finishWrite = resolve;
    });
  const writer = new BatchWriter(slowSink, { ...NO_TIMER, maxBatch: 5, maxBuffered: 6, journal });
  for (let value = 0; value < 5; value++) writer.record(value); // batch 0-4 goes in flight
  await new Promise((resolve) => setImmediate(resolve));
  for (let value = 5; value < 9; value++) writer.record(value); // beyond 6 buffered: 5, 6, 7 dropped
  assert.equal(writer.stats().dropped, 3);
  assert.equal(journal.released, 0, 'records 0-4 are still in flight');
  finishWrite?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(journal.released, 8, 'in flight written and 5-7 dropped: only 8 is left');
  const closing = writer.close();
  await new Promise((resolve) => setImmediate(resolve));
  finishWrite?.();
  await closing;
  assert.equal(journal.released, 9);
});

test('close() closes the journal even when the last flush fails (it keeps the rows for the next start)', async () => {
  const fake = fakeSink();
  const journal = fakeJournal();
  const writer = new BatchWriter(fake.sink, { ...NO_TIMER, journal });
  writer.record(1);
  fake.failNext = 1;
  await assert.rejects(writer.close(), /write failed/);
  assert.equal(journal.closed, true);
  assert.equal(journal.released, 0);
});
