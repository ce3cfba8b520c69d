import type { ChangeBus } from './types.ts';

type Handler = (message: string) => void;

/**
 * The ChangeBus of a single process (no Redis): `publish` calls every subscriber of the topic
 * synchronously, before it returns, so a change is seen at once. A handler that throws does not
 * keep the message from the others; the first such error rejects the returned promise.
 */
export class LocalBus implements ChangeBus {
  private readonly handlers = new Map<string, Handler[]>();

  publish(topic: string, message: string): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(message);
      } catch (error) {
        failure ??= { error };
      }
    }
    return failure ? Promise.reject(failure.error) : Promise.resolve();
  }

  subscribe(topic: string, handler: Handler): Promise<void> {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}
