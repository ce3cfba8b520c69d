import { GatewayError } from '../core/errors.ts';

/** One request's view of the cutoff: a signal aborted when its client leaves or the grace period ends. */
export interface WatchedRequest {
  signal: AbortSignal;
  /** True when the request was cut by the shutdown, not by its client. */
  readonly cutByShutdown: boolean;
  dispose(): void;
}

/**
 * The end of the shutdown grace period, for requests still running then: their upstream calls are
 * aborted so that each ends properly (a stream with an error event, a waiting request with 503
 * `shutting_down`) before the remaining connections are closed.
 */
export class ShutdownCutoff {
  private readonly running = new Set<AbortController>();
  private tripped = false;

  /**
   * Watches a request's own controller (no extra controller per request: this is the hot path).
   * The cutoff aborts it with SHUTDOWN_ABORT_REASON, which tells a cut from a client disconnect.
   */
  watch(controller: AbortController): WatchedRequest {
    if (this.tripped) controller.abort(SHUTDOWN_ABORT_REASON);
    else if (!controller.signal.aborted) this.running.add(controller);
    return {
      signal: controller.signal,
      get cutByShutdown() {
        return isShutdownAbort(controller.signal);
      },
      dispose: () => {
        this.running.delete(controller);
      },
    };
  }

  /** Cuts every running request (once). */
  trip(): void {
    if (this.tripped) return;
    this.tripped = true;
    for (const controller of this.running) controller.abort(SHUTDOWN_ABORT_REASON);
    this.running.clear();
  }
}

/** The abort reason of a request cut at the end of the shutdown grace period. */
export const SHUTDOWN_ABORT_REASON: unique symbol = Symbol('llmux shutdown cutoff');

export function isShutdownAbort(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason === SHUTDOWN_ABORT_REASON;
}

export function shuttingDownError(): GatewayError {
  return new GatewayError(
    'shutting_down',
    'llmux is shutting down: the request was cut at the end of the grace period',
  );
}
