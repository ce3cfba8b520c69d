/** RedisLimiters for tests: each on its own client, all under one key prefix that `dispose` deletes. */

import { RedisLimiter, type RedisLimiterOptions } from '../../../src/policy/limits/redis-limiter.ts';
import { LimiterUnavailable, type SpendSource } from '../../../src/policy/limits/types.ts';
import { connectRedis, type RedisClient } from '../../../src/store/redis/connect.ts';
import { testPrefix } from '../redis.ts';

export const REDIS_TIMEOUT_MS = 250;

export interface RedisLimiterFactory {
  prefix: string;
  create(
    spendSource: SpendSource,
    options?: Partial<Omit<RedisLimiterOptions, 'client' | 'spendSource'>> & { url?: string },
  ): Promise<RedisLimiter>;
  /** A plain client on the real Redis (inspecting keys). */
  admin(): Promise<RedisClient>;
  deleteKeys(): Promise<void>;
  dispose(): Promise<void>;
}

export function redisLimiterFactory(url: string): RedisLimiterFactory {
  const prefix = testPrefix();
  const clients: RedisClient[] = [];
  const connect = async (target: string): Promise<RedisClient> => {
    const client = await connectRedis(target, { commandTimeoutMs: REDIS_TIMEOUT_MS });
    clients.push(client);
    return client;
  };
  let adminClient: RedisClient | undefined;
  const admin = async (): Promise<RedisClient> => {
    adminClient ??= await connect(url);
    return adminClient;
  };
  const deleteKeys = async (): Promise<void> => {
    const client = await admin();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
  };
  return {
    prefix,
    admin,
    deleteKeys,
    create: async (spendSource, options = {}) => {
      const { url: target = url, ...rest } = options;
      const client = await connect(target);
      return new RedisLimiter({ client, spendSource, keyPrefix: prefix, redisTimeoutMs: REDIS_TIMEOUT_MS, ...rest });
    },
    dispose: async () => {
      await deleteKeys();
      for (const client of clients) if (client.isOpen) client.destroy();
    },
  };
}

export async function rejectsUnavailable(call: Promise<unknown>): Promise<{ unavailable: boolean; ms: number }> {
  const started = performance.now();
  const unavailable = await call.then(
    () => false,
    (error: unknown) => error instanceof LimiterUnavailable,
  );
  return { unavailable, ms: performance.now() - started };
}
