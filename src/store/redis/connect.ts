import { createClient, type RedisClientType } from 'redis';
import { withoutPassword } from '../../lib/credentials.ts';
import { StartupError } from '../../lib/startup-error.ts';

export type RedisClient = RedisClientType;

export interface RedisConnectOptions {
  /** Each command fails after this long instead of waiting for a reconnect (limits must never hang). */
  commandTimeoutMs: number;
  /** How long the first connection may take before start-up fails. Default 5000. */
  connectTimeoutMs?: number;
  /** Connection errors and reconnects, for the log (never thrown). */
  onError?: (error: Error) => void;
}

/**
 * A node-redis client that never queues commands while disconnected (they fail at once, so the
 * caller's `limits.onStoreError` policy applies) and keeps reconnecting in the background once it
 * has connected. The first connection is bounded: a Redis that cannot be reached fails start-up
 * with a clear error instead of hanging it.
 */
export async function connectRedis(url: string, options: RedisConnectOptions): Promise<RedisClient> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const client: RedisClient = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(1000, options.commandTimeoutMs),
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = lastError === undefined ? '' : `: ${lastError.message}`;
      const message = `cannot reach Redis at ${withoutPassword(url, 'redis')} within ${connectTimeoutMs} ms${reason} (start it, or change redis)`;
      reject(new StartupError(message));
    }, connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** The Redis database a URL selects (`redis://host:6379/3` → 3); replicas sharing one share state. */
export function redisDatabase(url: string): number {
  try {
    const path = new URL(url).pathname.replace(/^\//, '');
    return path === '' ? 0 : Number.parseInt(path, 10) || 0;
  } catch {
    return 0;
  }
}
