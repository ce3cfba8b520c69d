import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { WriteAheadJournal } from './batch-writer.ts';

export interface RecordJournalOptions {
  /** Directory of the segment files; created if missing. One directory per process. */
  directory: string;
  /** Write and fdatasync what was appended at least this often. Default 100. */
  syncIntervalMs?: number;
  /** Start a new segment once the current one holds this many bytes. Default 8 MiB. */
  maxSegmentBytes?: number;
  /** Records waiting for the disk kept while writes fail; beyond it the oldest lose their copy. Default 100 000. */
  maxPending?: number;
  onError?: ((error: unknown) => void) | undefined;
}

/** What an earlier process left in the directory: records the store may not have. */
export interface JournalLeftovers {
  /** Parsed lines, oldest first (duplicates possible after a failed write was retried). */
  records: unknown[];
  /** Lines that were not valid JSON: a line cut short by a crash, or damage. */
  skippedLines: number;
  /** How many segment files held them. */
  segments: number;
}

interface Segment {
  path: string;
  handle: FileHandle | undefined;
  bytes: number;
  /** Position of the first record written to it. */
  first: number;
  /** One past the position of the last record written to it. */
  end: number;
}

export const DEFAULT_JOURNAL_SYNC_MS = 100;
const DEFAULT_MAX_SEGMENT_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_PENDING = 100_000;
const SEGMENT_NAME = /^segment-(\d{1,15})\.jsonl$/;

/**
 * An append-only journal of JSON lines in segment files, for the records a BatchWriter holds in
 * memory. `append()` only keeps a reference; a timer serialises what was appended, writes it and
 * fdatasyncs it (one write and one sync per tick, on the thread pool). When the store has every
 * record of a segment (`release()`), the segment is deleted; the segment being written is rotated
 * as soon as it holds a released record, so the journal holds about one store flush interval of
 * records. A kill -9 loses at most the records appended since the last tick.
 */
export class RecordJournal<T> implements WriteAheadJournal<T> {
  readonly #directory: string;
  readonly #maxSegmentBytes: number;
  readonly #maxPending: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #leftoverPaths: string[];
  readonly leftovers: JournalLeftovers;
  #nextSegment: number;
  #current: Segment | undefined;
  readonly #retired: Segment[] = [];
  #pending: T[] = [];
  /** Position of `#pending[0]`. */
  #pendingFirst = 0;
  #released = 0;
  #chain: Promise<void> = Promise.resolve();
  #syncing = false;
  #closed = false;
  #unjournaled = 0;
  #writesFailing = false;

  private constructor(options: RecordJournalOptions, leftovers: JournalLeftovers, paths: string[], next: number) {
    this.#directory = options.directory;
    this.#maxSegmentBytes = positive(options.maxSegmentBytes, DEFAULT_MAX_SEGMENT_BYTES);
    this.#maxPending = positive(options.maxPending, DEFAULT_MAX_PENDING);
    this.#onError = options.onError;
    this.leftovers = leftovers;
    this.#leftoverPaths = paths;
    this.#nextSegment = next;
    this.#timer = setInterval(() => this.#onTick(), positive(options.syncIntervalMs, DEFAULT_JOURNAL_SYNC_MS));
    this.#timer.unref();
  }

  /** Creates the directory if needed and reads what an earlier process left (see `leftovers`). */
  static async open<T>(options: RecordJournalOptions): Promise<RecordJournal<T>> {
    await mkdir(options.directory, { recursive: true });
    const numbered = (await readdir(options.directory))
      .map((name) => ({ name, number: Number(SEGMENT_NAME.exec(name)?.[1] ?? Number.NaN) }))
      .filter((entry) => Number.isSafeInteger(entry.number))
      .sort((a, b) => a.number - b.number);
    const leftovers: JournalLeftovers = { records: [], skippedLines: 0, segments: numbered.length };
    const paths: string[] = [];
    for (const { name } of numbered) {
      const path = join(options.directory, name);
      paths.push(path);
      parseLines(await readFile(path, 'utf8'), leftovers);
    }
    const next = (numbered.at(-1)?.number ?? 0) + 1;
    return new RecordJournal<T>(options, leftovers, paths, next);
  }

  /** Deletes the segments read at open (and forgets their records); call once the records are in the store. */
  async discardLeftovers(): Promise<void> {
    this.leftovers.records.length = 0;
    for (const path of this.#leftoverPaths.splice(0)) await removeFile(path);
  }

  append(entry: T): void {
    if (this.#closed) return;
    this.#pending.push(entry);
    if (this.#pending.length > this.#maxPending) {
      // Only while writes fail: the records stay in the writer's buffer, they just have no copy on disk.
      // A tenth at a time, so that a failing disk does not cost a copy of the array per record.
      const excess = this.#pending.length - Math.floor(this.#maxPending * 0.9);
      this.#pending.splice(0, excess);
      this.#pendingFirst += excess;
      this.#unjournaled += excess;
    }
  }

  release(count: number): void {
    if (count > this.#released) this.#released = count;
  }

  /** Writes and syncs what is pending, and deletes fully released segments. */
  sync(): Promise<void> {
    const run = this.#chain.then(() => this.#syncNow());
    this.#chain = run;
    return run;
  }

  /** Final sync; the file is closed and deleted if every record was released, kept otherwise. */
  async close(): Promise<void> {
    if (this.#closed) return this.#chain;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.sync();
    try {
      const current = this.#current;
      this.#current = undefined;
      if (current) await this.#retire(current);
      await this.#deleteReleased();
    } catch (error) {
      this.#report(error);
    }
  }

  /** Records that never got a copy on disk because writes were failing. */
  get unjournaled(): number {
    return this.#unjournaled;
  }

  #onTick(): void {
    if (this.#syncing || (this.#pending.length === 0 && !this.#hasReleasedSegments())) return;
    this.#syncing = true;
    this.sync().finally(() => {
      this.#syncing = false;
    });
  }

  #hasReleasedSegments(): boolean {
    const current = this.#current;
    if (current && current.end > current.first && current.end <= this.#released) return true;
    return this.#retired.some((segment) => segment.end <= this.#released);
  }

  /**
   * Never rejects: the records are kept to be written by the next sync, and the failure is reported
   * once until a write succeeds again (a full disk would otherwise log ten errors a second).
   */
  async #syncNow(): Promise<void> {
    try {
      if (this.#pending.length > 0) await this.#writePending();
      await this.#deleteReleased();
    } catch (error) {
      if (!this.#writesFailing) this.#report(error);
      this.#writesFailing = true;
    }
  }

  async #writePending(): Promise<void> {
    // Records the store already has (a size-triggered flush beat the tick) need no copy.
    const skip = Math.min(this.#pending.length, Math.max(0, this.#released - this.#pendingFirst));
    const entries = skip > 0 ? this.#pending.slice(skip) : this.#pending;
    const first = this.#pendingFirst + skip;
    this.#pending = [];
    this.#pendingFirst = first + entries.length;
    if (entries.length === 0) return;
    const bytes = Buffer.from(this.#serialise(entries));
    let segment: Segment | undefined;
    try {
      segment = await this.#segmentFor(first, bytes.length);
      segment.end = first + entries.length;
      await writeAll(segment.handle as FileHandle, bytes);
      segment.bytes += bytes.length;
      await (segment.handle as FileHandle).datasync();
    } catch (error) {
      this.#pending = entries.concat(this.#pending);
      this.#pendingFirst = first;
      // Retry on a fresh segment, so that a half-written line cannot swallow the next one.
      if (segment !== undefined && segment === this.#current) {
        this.#current = undefined;
        await this.#retire(segment).catch(() => undefined);
      }
      throw error;
    }
    this.#writesFailing = false;
  }

  #serialise(entries: readonly T[]): string {
    let text = '';
    for (const entry of entries) {
      try {
        text += `${JSON.stringify(entry)}\n`;
      } catch (error) {
        this.#unjournaled++;
        this.#report(error);
      }
    }
    return text;
  }

  /** The segment to append to: a new one when none is open, it is full, or it already holds released records. */
  async #segmentFor(first: number, size: number): Promise<Segment> {
    const current = this.#current;
    if (current) {
      const full = current.bytes > 0 && current.bytes + size > this.#maxSegmentBytes;
      if (!full && current.first >= this.#released) return current;
      this.#current = undefined;
      await this.#retire(current);
    }
    const path = join(this.#directory, `segment-${String(this.#nextSegment++).padStart(12, '0')}.jsonl`);
    const segment: Segment = { path, handle: await open(path, 'wx'), bytes: 0, first, end: first };
    this.#current = segment;
    await syncDirectory(this.#directory);
    return segment;
  }

  async #retire(segment: Segment): Promise<void> {
    this.#retired.push(segment);
    const handle = segment.handle;
    segment.handle = undefined;
    await handle?.close();
  }

  async #deleteReleased(): Promise<void> {
    const current = this.#current;
    if (current && current.end > current.first && current.end <= this.#released && this.#pending.length === 0) {
      this.#current = undefined;
      await this.#retire(current);
    }
    for (let index = 0; index < this.#retired.length; ) {
      const segment = this.#retired[index] as Segment;
      if (segment.end <= this.#released) {
        this.#retired.splice(index, 1);
        await removeFile(segment.path);
      } else {
        index++;
      }
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError?.(error);
    } catch {
      // A reporter that throws must not break the journal.
    }
  }
}

function parseLines(text: string, into: JournalLeftovers): void {
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      into.records.push(JSON.parse(line));
    } catch {
      into.skippedLines++;
    }
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Makes a new file's directory entry durable (power loss); not supported everywhere, so best effort. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // e.g. Windows cannot open a directory: the kill -9 guarantee does not depend on this.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
