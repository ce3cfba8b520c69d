import type { ResponseStore } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface ResponseRetentionOptions {
  /** How often to purge after the first run at start. Default hourly. */
  intervalMs?: number;
  /** Epoch ms clock (tests). */
  now?: () => number;
  onPurged?: (deleted: number) => void;
  onError?: (error: unknown) => void;
}

export interface ResponseRetention {
  /** Stops the timer and waits for a purge under way (call before closing the store). */
  stop(): Promise<void>;
}

/**
 * `responses.retentionDays`: deletes stored responses past their expiry at start, then every
 * interval, in the background. Reads never serve an expired row, so a late purge only costs space.
 */
export function startResponseRetention(
  responses: ResponseStore,
  options: ResponseRetentionOptions = {},
): ResponseRetention {
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  const purge = () => {
    running ??= responses
      .purgeExpired(now())
      .then(
        (deleted) => {
          if (deleted > 0) options.onPurged?.(deleted);
        },
        (error: unknown) => options.onError?.(error),
      )
      .finally(() => {
        running = undefined;
      });
  };
  purge();
  const timer = setInterval(purge, options.intervalMs ?? HOUR_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
