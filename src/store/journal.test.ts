import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecordJournal } from './journal.ts';

const root = mkdtempSync(join(tmpdir(), 'llmux-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));

let directories = 0;
const freshDirectory = () => join(root, `j${++directories}`);
const NO_TIMER = { syncIntervalMs: 3_600_000 } as const;

interface Entry {
  id: number;
  text: string;
}
const entry = (id: number): Entry => ({ id, text: `record ${id} "quoted"\nnewline` });
const entries = (from: number, to: number): Entry[] => Array.from({ length: to - from }, (_, i) => entry(from + i));

const segmentFiles = (directory: string) =>
  readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
const linesIn = (directory: string) =>
  segmentFiles(directory).flatMap((name) =>
    readFileSync(join(directory, name), 'utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );

test('appended records reach a segment file as JSON lines on sync, and a new process reads them back in order', async () => {
  const directory = freshDirectory();
  const journal = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  assert.equal(journal.leftovers.segments, 0, 'a new directory has no leftovers');
  for (const item of entries(0, 5)) journal.append(item);
  assert.equal(linesIn(directory).length, 0, 'append() does not touch the disk');
  await journal.sync();
  assert.equal(linesIn(directory).length, 5, 'one line per record after sync');
  // No close(): as after a kill -9.
  const next = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  assert.deepEqual(next.leftovers.records, entries(0, 5));
  assert.equal(next.leftovers.skippedLines, 0);
  await next.close();
  await journal.close();
});

test('the timer writes without an explicit sync', async () => {
  const directory = freshDirectory();
  const journal = await RecordJournal.open<Entry>({ directory, syncIntervalMs: 10 });
  journal.append(entry(1));
  const deadline = Date.now() + 2000;
  while (linesIn(directory).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.equal(linesIn(directory).length, 1, 'written within the sync interval');
  await journal.close();
});

test('released segments are deleted; the segment being written rotates once it holds released records', async () => {
  const directory = freshDirectory();
  const journal = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  for (const item of entries(0, 4)) journal.append(item);
  await journal.sync();
  const [firstSegment] = segmentFiles(directory);
  journal.release(2); // the store has records 0 and 1
  for (const item of entries(4, 6)) journal.append(item);
  await journal.sync();
  assert.equal(segmentFiles(directory).length, 2, 'records 4-5 went to a new segment');
  assert.equal(segmentFiles(directory)[0], firstSegment, 'the first one stays: records 2-3 are not in the store');
  journal.release(4);
  await journal.sync();
  assert.deepEqual(
    linesIn(directory).map((line) => (JSON.parse(line) as Entry).id),
    [4, 5],
    'the fully released segment is gone',
  );
  journal.release(6);
  await journal.sync();
  assert.deepEqual(segmentFiles(directory), [], 'nothing left once the store has everything');
  await journal.close();
});

test('records the store already has when the tick comes are never written', async () => {
  const directory = freshDirectory();
  const journal = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  for (const item of entries(0, 3)) journal.append(item);
  journal.release(2);
  await journal.sync();
  assert.deepEqual(
    linesIn(directory).map((line) => (JSON.parse(line) as Entry).id),
    [2],
  );
  journal.release(3);
  await journal.close();
  assert.deepEqual(segmentFiles(directory), []);
});

test('close() keeps unreleased records for the next start; discardLeftovers() removes them; numbering continues', async () => {
  const directory = freshDirectory();
  const journal = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  for (const item of entries(0, 3)) journal.append(item);
  journal.release(1);
  await journal.close();
  journal.append(entry(99)); // after close: ignored
  const before = segmentFiles(directory);
  assert.equal(before.length, 1);

  const next = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  assert.deepEqual(
    next.leftovers.records.map((record) => (record as Entry).id),
    [1, 2],
    'the released record 0 was never written; 99 came after close',
  );
  next.append(entry(10));
  await next.sync();
  assert.equal(segmentFiles(directory).length, 2, 'the leftovers stay until discarded');
  assert.ok((segmentFiles(directory)[1] ?? '') > (before[0] ?? ''), 'a new segment is numbered after the leftovers');
  await next.discardLeftovers();
  assert.deepEqual(
    linesIn(directory).map((line) => (JSON.parse(line) as Entry).id),
    [10],
  );
  next.release(1);
  await next.close();
  assert.deepEqual(segmentFiles(directory), []);
});

test('a line cut short by a crash, or a damaged one, is skipped; the lines around it are read', async () => {
  const directory = freshDirectory();
  const journal = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  for (const item of entries(0, 2)) journal.append(item);
  await journal.sync();
  const [segment] = segmentFiles(directory);
  assert.ok(segment, 'a segment was written');
  appendFileSync(join(directory, segment), '{"id":2,"te'); // the crash cut the last write short
  writeFileSync(join(directory, 'segment-000000000000.jsonl'), `not json\n${JSON.stringify(entry(-1))}\n\n`);
  writeFileSync(join(directory, 'notes.txt'), 'not a segment');
  const next = await RecordJournal.open<Entry>({ directory, ...NO_TIMER });
  assert.deepEqual(next.leftovers.records, [entry(-1), ...entries(0, 2)], 'segments are read in number order');
  assert.equal(next.leftovers.skippedLines, 2);
  assert.equal(next.leftovers.segments, 2);
  await next.discardLeftovers();
  assert.deepEqual(readdirSync(directory), ['notes.txt'], 'only segment files are removed');
  await next.close();
  await journal.close();
});

test('a record that cannot be serialised is reported and skipped, the others are written', async () => {
  const directory = freshDirectory();
  const errors: unknown[] = [];
  const journal = await RecordJournal.open<unknown>({ directory, ...NO_TIMER, onError: (error) => errors.push(error) });
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  journal.append(entry(1));
  journal.append(circular);
  journal.append(entry(2));
  await journal.sync();
  assert.equal(linesIn(directory).length, 2);
  assert.equal(errors.length, 1, 'the failure was reported');
  assert.equal(journal.unjournaled, 1);
  journal.release(3);
  await journal.close();
});

test('a failed write keeps the records for the next sync and is reported once until writes work again', async () => {
  const directory = freshDirectory();
  const errors: unknown[] = [];
  const journal = await RecordJournal.open<Entry>({ directory, ...NO_TIMER, onError: (error) => errors.push(error) });
  rmSync(directory, { recursive: true }); // the journal's directory vanishes: opening a segment fails
  journal.append(entry(1));
  await journal.sync();
  journal.append(entry(2));
  await journal.sync();
  assert.equal(errors.length, 1, 'one report for a run of failures');
  mkdirSync(directory);
  await journal.sync();
  assert.deepEqual(
    linesIn(directory).map((line) => (JSON.parse(line) as Entry).id),
    [1, 2],
    'nothing was lost while writes failed',
  );
  journal.release(2);
  await journal.close();
  assert.deepEqual(segmentFiles(directory), []);
});
