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

  watch(clientSignal: AbortSignal): WatchedRequest {
    const controller = new AbortController();
    const onClientAbort = () => controller.abort(clientSignal.reason);
    const cutoff = this;
    if (clientSignal.aborted || this.tripped) controller.abort();
    else {
      clientSignal.addEventListener('abort', onClientAbort, { once: true });
      this.running.add(controller);
    }
    return {
      signal: controller.signal,
      get cutByShutdown() {
        return cutoff.tripped && !clientSignal.aborted;
      },
      dispose: () => {
        clientSignal.removeEventListener('abort', onClientAbort);
        this.running.delete(controller);
      },
    };
  }

  /** Cuts every running request (once). */
  trip(): void {
    if (this.tripped) return;
    this.tripped = true;
    for (const controller of this.running) controller.abort();
    this.running.clear();
  }
}

export function shuttingDownError(): GatewayError {
  return new GatewayError(
    'shutting_down',
    'llmux is shutting down: the request was cut at the end of the grace period',
  );
}
