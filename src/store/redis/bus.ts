import type { ChangeBus } from '../types.ts';
import { connectRedis, type RedisClient } from './connect.ts';
import { withDeadline } from './deadline.ts';

export interface RedisBusOptions {
  /** A publish fails after this long instead of waiting on a stalled server. */
  commandTimeoutMs: number;
  /** Connection errors, reconnects and handler errors, for the log (never thrown). */
  onError?: (error: Error) => void;
  /**
   * Called each time the subscriber connection is back after a loss and subscribed again. Messages
   * published while it was down are lost (pub/sub keeps nothing): a subscriber whose cache must
   * not miss a change (revoked keys) drops or reloads it here.
   */
  onResubscribed?: () => void;
  /** Prepended to every topic to form the Redis channel (tests, or several deployments on one Redis). */
  channelPrefix?: string;
  /** CLIENT SETNAME of the subscriber connection (`CLIENT LIST` shows it). Default `llmux:bus`. */
  subscriberName?: string;
}

type Handler = (message: string) => void;

/**
 * ChangeBus on Redis pub/sub: one connection publishes, a second one (a subscribed connection can
 * do nothing else) listens. node-redis subscribes the listener connection again by itself after a
 * reconnect. Every bus receives its own messages too.
 *
 * `publish` rejects (never throws synchronously, never waits past `commandTimeoutMs`) when Redis
 * is down or slow: callers that fire and forget must attach a `.catch`.
 */
export class RedisBus implements ChangeBus {
  private closed = false;

  private constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly channelPrefix: string,
    private readonly commandTimeoutMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  static async connect(url: string, options: RedisBusOptions): Promise<RedisBus> {
    const onError = options.onError ?? (() => {});
    const publisher = await connectRedis(url, { commandTimeoutMs: options.commandTimeoutMs, onError });
    const subscriber = publisher.duplicate({ name: options.subscriberName ?? 'llmux:bus' });
    // A duplicate does not inherit listeners, and an unhandled 'error' event would end the process.
    subscriber.on('error', (error: Error) => onError(error));
    let ready = 0;
    subscriber.on('ready', () => {
      ready += 1;
      if (ready > 1) options.onResubscribed?.();
    });
    try {
      await subscriber.connect();
    } catch (error) {
      publisher.destroy();
      throw error;
    }
    return new RedisBus(publisher, subscriber, options.channelPrefix ?? '', options.commandTimeoutMs, onError);
  }

  publish(topic: string, message: string): Promise<void> {
    try {
      const published = this.publisher.publish(this.channelPrefix + topic, message);
      return withDeadline(published, this.commandTimeoutMs, `publish ${topic}`).then(() => undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  subscribe(topic: string, handler: Handler): Promise<void> {
    return this.subscriber.subscribe(this.channelPrefix + topic, (message: string) => {
      try {
        handler(message);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Closes both connections; waits for pending replies up to the command timeout, then drops them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.publisher, this.subscriber].map((client) => this.closeClient(client)));
  }

  private async closeClient(client: RedisClient): Promise<void> {
    if (!client.isOpen) return;
    if (!client.isReady) {
      client.destroy();
      return;
    }
    // A close racing a dying socket with a command still unanswered can stay pending forever.
    try {
      await withDeadline(client.close(), this.commandTimeoutMs, 'close');
    } catch {
      client.destroy();
    }
  }
}
