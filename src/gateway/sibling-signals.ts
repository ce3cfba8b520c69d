/**
 * Abort signals for the parallel upstream requests of one fanned-out attempt (n > 1 on a provider
 * that cannot give n choices in one request).
 *
 * Each request gets a signal of its own, so that the others can be released while the failed
 * one's error body is still being read. The client's signal gets one listener however many
 * requests there are: a listener per request on it tripped Node's MaxListenersExceededWarning
 * from n = 11 on.
 */
export class SiblingSignals {
  readonly #parent: AbortSignal;
  /** Empty for a single request: it uses the client's signal directly. */
  readonly #controllers: AbortController[];
  #released = false;

  constructor(parent: AbortSignal, count: number) {
    this.#parent = parent;
    this.#controllers = count > 1 ? Array.from({ length: count }, () => new AbortController()) : [];
    if (this.#controllers.length === 0) return;
    if (parent.aborted) this.#abortAll(parent.reason);
    else parent.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  signal(index: number): AbortSignal {
    return this.#controllers[index]?.signal ?? this.#parent;
  }

  /** Aborts every request but `keep`. */
  abortOthers(keep: number): void {
    this.#controllers.forEach((controller, index) => {
      if (index !== keep) controller.abort();
    });
  }

  /**
   * Aborts whatever is still running (a no-op for exchanges already over) and stops listening to
   * the client's signal. Called when the attempt ends, however it ends. Idempotent.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#parent.removeEventListener('abort', this.#onParentAbort);
    this.#abortAll(undefined);
  }

  readonly #onParentAbort = (): void => {
    this.#abortAll(this.#parent.reason);
  };

  #abortAll(reason: unknown): void {
    for (const controller of this.#controllers) controller.abort(reason);
  }
}
