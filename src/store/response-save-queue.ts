import type { ResponseSave, ResponseStore } from './types.ts';

/** How long a save waits for others to share its transaction. */
const FLUSH_AFTER_MS = 20;
const MAX_BATCH = 500;

interface Queued extends ResponseSave {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Saves of stored responses, written behind in batches: one statement per request was a quarter of
 * a Responses passthrough request's CPU (bench/results/issue10-responses-pass-c32.md). A save's
 * promise settles when its batch is written; `drain()` writes what is queued (shutdown).
 */
export class ResponseSaveQueue {
  private queued: Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Pick<ResponseStore, 'saveAll'>) {}

  save(entry: ResponseSave): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ ...entry, resolve, reject });
      if (this.queued.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    });
  }

  /** Writes everything queued now and waits for every write begun so far. */
  async drain(): Promise<void> {
    this.flush();
    await this.writing;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    // One batch at a time, in order: a conversation's turns are inserted before a later one extends them.
    this.writing = this.writing.then(() => this.write(batch));
  }

  /** The batch in one transaction; if that fails, each save alone, so one bad row fails only its own. */
  private async write(batch: Queued[]): Promise<void> {
    try {
      await this.store.saveAll(batch);
      for (const entry of batch) entry.resolve();
    } catch (error) {
      if (batch.length === 1) return (batch[0] as Queued).reject(error);
      for (const entry of batch) await this.store.saveAll([entry]).then(entry.resolve, entry.reject);
    }
  }
}
