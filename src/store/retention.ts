import type { Store } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface RetentionOptions {
  /** Rows older than this many days are deleted; 0 = keep forever (nothing is started). */
  days: number;
  /** How often to prune after the first run at start. Default hourly. */
  intervalMs?: number;
  /** Epoch ms clock (tests). */
  now?: () => number;
  onPruned?: (deleted: number) => void;
  onError?: (error: unknown) => void;
}

export interface Retention {
  /** Stops the timer and waits for a prune under way (call before closing the store). */
  stop(): Promise<void>;
}

/** `store.retentionDays`: prunes the request log at start, then every interval, in the background. */
export function startRetention(store: Store, options: RetentionOptions): Retention {
  if (options.days <= 0) return { stop: () => Promise.resolve() };
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  const prune = () => {
    running ??= store
      .pruneRequests(now() - options.days * DAY_MS)
      .then(
        (deleted) => {
          if (deleted > 0) options.onPruned?.(deleted);
        },
        (error: unknown) => options.onError?.(error),
      )
      .finally(() => {
        running = undefined;
      });
  };
  prune();
  const timer = setInterval(prune, options.intervalMs ?? HOUR_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
