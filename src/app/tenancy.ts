import type { Logger } from 'pino';
import type { LlmuxConfig } from '../config/index.ts';
import { KeyDirectory } from '../policy/key-directory.ts';
import { MemoryLimiter } from '../policy/limits/memory-limiter.ts';
import type { Limiter } from '../policy/limits/types.ts';
import { SharedCooldowns } from '../routing/shared-cooldowns.ts';
import { LocalBus } from '../store/local-bus.ts';
import type { RedisClient } from '../store/redis/connect.ts';
import type { ChangeBus, Store } from '../store/types.ts';

/** What keys, limits and shared router state run on: in-process, or Redis shared by every replica. */
export interface TenancyServices {
  keys: KeyDirectory;
  limiter: Limiter;
  /** Set when replicas share Redis: cooldowns one replica starts apply on all. */
  cooldowns: SharedCooldowns | undefined;
  close(): Promise<void>;
}

/**
 * Connects Redis when `redis` is set (start-up fails with a clear error when it cannot be reached)
 * and loads the managed keys. Replicas that share a Redis database share limits, budgets, key
 * revocations and cooldowns; the database number also namespaces the pub/sub channels.
 */
export async function startTenancy(config: LlmuxConfig, store: Store, logger: Logger): Promise<TenancyServices> {
  const spendSource = store.spentSince.bind(store);
  const onRedisError = throttledLog(logger, 'redis');
  let redis: RedisClient | undefined;
  let bus: ChangeBus;
  let limiter: Limiter;
  let cooldowns: SharedCooldowns | undefined;
  let keys: KeyDirectory | undefined;
  const redisUrl = config.redis;
  try {
    if (redisUrl === undefined) {
      bus = new LocalBus();
      limiter = new MemoryLimiter({ spendSource });
    } else {
      // Loaded only when configured: the Redis client costs ~15 MB of RSS a single process does not need.
      const [{ connectRedis, redisDatabase }, { RedisBus }, { RedisLimiter }] = await Promise.all([
        import('../store/redis/connect.ts'),
        import('../store/redis/bus.ts'),
        import('../policy/limits/redis-limiter.ts'),
      ]);
      const commandTimeoutMs = config.limits.redisTimeoutMs;
      redis = await connectRedis(redisUrl, { commandTimeoutMs, onError: onRedisError });
      const redisBus = await RedisBus.connect(redisUrl, {
        commandTimeoutMs,
        onError: onRedisError,
        channelPrefix: `db${redisDatabase(redisUrl)}:`,
        // Notices published while the connection was down are lost: reload the keys in full.
        onResubscribed: () => void keys?.reloadManaged().catch(onRedisError),
      });
      bus = redisBus;
      limiter = new RedisLimiter({
        client: redis,
        spendSource,
        redisTimeoutMs: commandTimeoutMs,
        onError: onRedisError,
      });
      cooldowns = await SharedCooldowns.start({
        bus,
        onError: (error) => logger.warn({ err: error }, 'cooldown notice not sent or not read'),
        onRemoteOpen: (deployment, until) =>
          logger.warn(
            { deployment, until: new Date(until).toISOString() },
            'deployment cooling down (another replica)',
          ),
      });
    }
    keys = new KeyDirectory(config.keys, config.teams, {
      tenancy: store.tenancy,
      bus,
      onError: (error, context) => logger.error({ err: error }, context),
    });
    await keys.start();
  } catch (error) {
    redis?.destroy();
    throw error;
  }
  const started = { keys, bus, limiter, redis };
  return {
    keys,
    limiter,
    cooldowns,
    async close() {
      await started.keys.close();
      await started.limiter.close();
      await started.bus.close();
      if (started.redis?.isOpen) await started.redis.close().catch(() => started.redis?.destroy());
    },
  };
}

/** Redis connection errors repeat on every reconnect attempt: one log line per 10 s is enough. */
function throttledLog(logger: Logger, what: string): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (error) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    logger.error({ err: error }, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
}
