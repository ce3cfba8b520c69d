import type { ServerResponse } from 'node:http';

/**
 * The client side of one exchange: headers are committed lazily (with the first body bytes), so
 * that an attempt can still fail over to another deployment until something reached the client.
 */
export class ClientResponse {
  private committed = false;
  firstByteAt: number | undefined;
  private startListener: (() => void) | undefined;

  constructor(
    readonly raw: ServerResponse,
    private readonly baseHeaders: Record<string, string>,
  ) {}

  /**
   * Calls `listener` when the response starts (status and headers committed), if it starts before
   * the returned function is called. One listener at a time: the attempt under way.
   */
  onceStarted(listener: () => void): () => void {
    this.startListener = listener;
    return () => {
      if (this.startListener === listener) this.startListener = undefined;
    };
  }

  /** Headers every answer carries from now on (before the response starts). */
  addHeaders(headers: Readonly<Record<string, string>>): void {
    Object.assign(this.baseHeaders, headers);
  }

  get started(): boolean {
    return this.committed;
  }

  get closed(): boolean {
    return this.raw.destroyed || this.raw.writableEnded;
  }

  /** Sends a whole response at once. */
  send(status: number, headers: Record<string, string>, body: string | Buffer): void {
    this.commit(status, headers);
    this.raw.end(body);
  }

  /** Starts an SSE response (idempotent). */
  startStream(headers: Record<string, string>): void {
    if (this.committed) return;
    this.commit(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      ...headers,
    });
  }

  /** Writes stream bytes, waiting for the socket to drain when its buffer is full. */
  async write(data: string | Buffer): Promise<void> {
    if (this.closed) return;
    if (!this.raw.write(data)) {
      // Both listeners go once either fires: `events.once` in a race would leave the loser (and an
      // 'error' listener) attached for every backpressured write.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.raw.off('drain', done);
          this.raw.off('close', done);
          resolve();
        };
        this.raw.on('drain', done);
        this.raw.on('close', done);
      });
    }
  }

  end(data?: string): void {
    if (!this.closed) this.raw.end(data);
  }

  private commit(status: number, headers: Record<string, string>): void {
    this.committed = true;
    this.firstByteAt = performance.now();
    this.raw.writeHead(status, { ...this.baseHeaders, ...headers });
    const listener = this.startListener;
    this.startListener = undefined;
    listener?.();
  }
}
