import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BatchSink, BatchWriter } from './batch-writer.ts';

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
