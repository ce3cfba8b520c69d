import { RecordQueue } from './record-queue.ts';
import type { BatchWriterStats, StoreOptions } from './types.ts';

/** Writes one batch in one transaction. Rejecting keeps the batch for the next flush. */
export type BatchSink<T> = (batch: readonly T[]) => Promise<void>;

/**
 * A durable copy of the records accepted but not yet written (the request log journal): a crash
 * loses only what the journal had not yet synced.
 */
export interface WriteAheadJournal<T> {
  /** Called once per accepted record, in order. Synchronous and cheap (the disk write comes later). */
  append(entry: T): void;
  /** The first `count` records appended are written (or were dropped): their copies may go. */
  release(count: number): void;
  /** Writes what is pending and closes; never rejects (errors go to the journal's own reporter). */
  close(): Promise<void>;
}

export interface BatchWriterOptions<T> extends Omit<StoreOptions, 'journal'> {
  journal?: WriteAheadJournal<T> | undefined;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
export const DEFAULT_MAX_BATCH = 500;
export const DEFAULT_MAX_BUFFERED = 100_000;

/**
 * Buffers records off the hot path and writes them in batches: every `flushIntervalMs`, or as
 * soon as `maxBatch` records are waiting. Flushes are serialized; a failed batch goes back to
 * the front of the buffer (order kept) and is retried by the next flush. While writes fail, only
 * the interval timer and explicit `flush()` calls retry (no retry storm per record).
 */
export class BatchWriter<T> {
  readonly #sink: BatchSink<T>;
  readonly #maxBatch: number;
  readonly #maxBuffered: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #journal: WriteAheadJournal<T> | undefined;
  readonly #queue = new RecordQueue<T>();
  readonly #timer: NodeJS.Timeout;
  #chain: Promise<void> = Promise.resolve();
  #pendingDrains = 0;
  #inFlight = 0;
  /** Queue position of the first record of the batch in flight. */
  #inFlightStart = 0;
  #sizeFlushScheduled = false;
  #failing = false;
  #closed = false;
  #written = 0;
  #dropped = 0;
  #failedFlushes = 0;
  #batches = 0;

  constructor(sink: BatchSink<T>, options: BatchWriterOptions<T> = {}) {
    this.#sink = sink;
    this.#maxBatch = positiveInteger(options.maxBatch, DEFAULT_MAX_BATCH);
    this.#maxBuffered = Math.max(positiveInteger(options.maxBuffered, DEFAULT_MAX_BUFFERED), this.#maxBatch);
    this.#onError = options.onError;
    this.#journal = options.journal;
    const interval = positiveInteger(options.flushIntervalMs, DEFAULT_FLUSH_INTERVAL_MS);
    this.#timer = setInterval(() => this.#onTick(), interval);
    this.#timer.unref();
  }

  /** Buffers one record. Synchronous and never throws. */
  record(entry: T): void {
    if (this.#closed) {
      this.#dropped++;
      return;
    }
    this.#queue.push(entry);
    this.#journal?.append(entry);
    this.#enforceBound();
    if (this.#queue.size >= this.#maxBatch && !this.#sizeFlushScheduled && !this.#failing) {
      this.#sizeFlushScheduled = true;
      this.#flushInBackground();
    }
  }

  /** Waits for any in-flight flush, then writes everything buffered. Rejects if a batch fails. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#drain());
    this.#pendingDrains++;
    this.#chain = run.then(
      () => this.#drainSettled(),
      () => this.#drainSettled(),
    );
    return run;
  }

  /**
   * Stops the timer, refuses further records, and flushes what is buffered. The journal is closed
   * either way: after a failed flush it keeps the unwritten records for the next start.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    try {
      await this.flush();
    } finally {
      await this.#journal?.close();
    }
  }

  stats(): BatchWriterStats {
    return {
      buffered: this.#queue.size + this.#inFlight,
      written: this.#written,
      dropped: this.#dropped,
      failedFlushes: this.#failedFlushes,
      batches: this.#batches,
    };
  }

  #onTick(): void {
    if (this.#pendingDrains === 0 && this.#queue.size > 0) this.#flushInBackground();
  }

  #flushInBackground(): void {
    this.flush().catch((error: unknown) => this.#reportError(error));
  }

  #drainSettled(): void {
    this.#pendingDrains--;
  }

  async #drain(): Promise<void> {
    this.#sizeFlushScheduled = false;
    // Write what is buffered now; records arriving meanwhile trigger their own flush.
    let remaining = this.#queue.size;
    while (remaining > 0 && this.#queue.size > 0) {
      this.#inFlightStart = this.#queue.frontPosition;
      const batch = this.#queue.take(Math.min(this.#maxBatch, remaining));
      this.#inFlight = batch.length;
      try {
        await this.#sink(batch);
      } catch (error) {
        this.#inFlight = 0;
        this.#queue.putBack(batch);
        this.#failedFlushes++;
        this.#failing = true;
        this.#enforceBound();
        throw error;
      }
      this.#inFlight = 0;
      this.#failing = false;
      this.#written += batch.length;
      this.#batches++;
      this.#releaseJournal();
      remaining -= batch.length;
    }
  }

  #enforceBound(): void {
    const excess = this.#queue.size + this.#inFlight - this.#maxBuffered;
    if (excess <= 0) return;
    this.#dropped += this.#queue.dropOldest(excess);
    this.#releaseJournal();
  }

  /** Records before the batch in flight (or before the queue's front) are written or dropped. */
  #releaseJournal(): void {
    this.#journal?.release(this.#inFlight > 0 ? this.#inFlightStart : this.#queue.frontPosition);
  }

  #reportError(error: unknown): void {
    if (!this.#onError) return;
    try {
      this.#onError(error);
    } catch {
      // An error reporter that throws must not turn into an unhandled rejection.
    }
  }
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
