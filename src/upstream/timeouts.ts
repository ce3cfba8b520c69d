/**
 * Per-exchange abort and timer plumbing. One AbortController (handed to undici) is fed by:
 * the client's disconnect signal, the total timer, a first-byte timer and a body-idle timer.
 *
 * undici also gets `headersTimeout`/`bodyTimeout`, but its parser timers tick at about 0.5-1 s
 * resolution, so a 150 ms limit fires after ~1 s. The native timers here keep the configured
 * values precise; undici's stay as a backstop (and keep counting while nobody reads the body).
 */
import { GatewayError } from '../core/errors.ts';
import type { UpstreamTimeouts } from './types.ts';

export function clientClosedError(): GatewayError {
  return new GatewayError('client_closed', 'client closed the request before the upstream response completed');
}

export function connectTimeoutError(origin: string, ms: number, cause?: unknown): GatewayError {
  return new GatewayError('upstream_timeout', `upstream ${origin} connect timeout after ${ms} ms`, { cause });
}

export function headersTimeoutError(origin: string, ms: number, cause?: unknown): GatewayError {
  return new GatewayError('upstream_timeout', `no response headers within ${ms} ms from upstream ${origin}`, { cause });
}

export function idleTimeoutError(origin: string, ms: number, cause?: unknown): GatewayError {
  return new GatewayError('upstream_timeout', `upstream stream idle for ${ms} ms (${origin})`, { cause });
}

export function totalTimeoutError(origin: string, ms: number): GatewayError {
  return new GatewayError('upstream_timeout', `upstream ${origin} total timeout ${ms} ms exceeded`);
}

export class ExchangeGuard {
  readonly #controller = new AbortController();
  readonly #clientSignal: AbortSignal;
  readonly #origin: string;
  readonly #timeouts: UpstreamTimeouts;
  #totalTimer: NodeJS.Timeout | undefined;
  /** First-byte timer until headers arrive, then the body-idle timer. */
  #phaseTimer: NodeJS.Timeout | undefined;
  #awaitingHeaders = true;
  /** The consumer is waiting for the next body chunk (idle time only counts then). */
  #waiting = false;
  #abortError: GatewayError | undefined;
  #disposed = false;

  constructor(clientSignal: AbortSignal, origin: string, timeouts: UpstreamTimeouts) {
    this.#clientSignal = clientSignal;
    this.#origin = origin;
    this.#timeouts = timeouts;
    if (clientSignal.aborted) {
      this.#abort(clientClosedError());
      return;
    }
    clientSignal.addEventListener('abort', this.#onClientAbort, { once: true });
    if (timeouts.totalMs > 0) {
      this.#totalTimer = setTimeout(this.#onTotal, timeouts.totalMs);
      this.#totalTimer.unref();
    }
    if (timeouts.firstByteMs > 0) {
      this.#phaseTimer = setTimeout(this.#onPhase, timeouts.firstByteMs);
      this.#phaseTimer.unref();
    }
  }

  /** Aborts the upstream request (passed to undici). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why we aborted the exchange (client gone, one of our timers), if we did. */
  get abortError(): GatewayError | undefined {
    return this.#abortError;
  }

  /** Response headers arrived: the first-byte timer stops, idle timing starts with the body. */
  headersReceived(): void {
    this.#awaitingHeaders = false;
    if (this.#phaseTimer !== undefined) {
      clearTimeout(this.#phaseTimer);
      this.#phaseTimer = undefined;
    }
  }

  /** The consumer starts waiting for a body chunk. */
  beginWait(): void {
    if (this.#disposed || this.#timeouts.idleMs <= 0) return;
    this.#waiting = true;
    if (this.#phaseTimer === undefined) {
      this.#phaseTimer = setTimeout(this.#onPhase, this.#timeouts.idleMs);
      this.#phaseTimer.unref();
    } else {
      this.#phaseTimer.refresh();
    }
  }

  /** A chunk (or the end) arrived. */
  endWait(): void {
    this.#waiting = false;
  }

  /** Stops every timer and drops the client listener. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#totalTimer !== undefined) clearTimeout(this.#totalTimer);
    if (this.#phaseTimer !== undefined) clearTimeout(this.#phaseTimer);
    this.#totalTimer = undefined;
    this.#phaseTimer = undefined;
    this.#clientSignal.removeEventListener('abort', this.#onClientAbort);
  }

  readonly #onClientAbort = (): void => {
    this.#abort(clientClosedError());
  };

  readonly #onTotal = (): void => {
    this.#abort(totalTimeoutError(this.#origin, this.#timeouts.totalMs));
  };

  readonly #onPhase = (): void => {
    if (this.#awaitingHeaders) this.#abort(headersTimeoutError(this.#origin, this.#timeouts.firstByteMs));
    else if (this.#waiting) this.#abort(idleTimeoutError(this.#origin, this.#timeouts.idleMs));
  };

  #abort(error: GatewayError): void {
    if (this.#abortError !== undefined || this.#disposed) return;
    this.#abortError = error;
    this.dispose();
    this.#controller.abort(error);
  }
}
