import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import {
  REDIS_TIMEOUT_MS,
  redisLimiterFactory,
  rejectsUnavailable,
} from '../../../test/support/limits/redis-limiters.ts';
import { findRedis, redisUnreachable } from '../../../test/support/redis.ts';
import { startTcpProxy } from '../../../test/support/tcp-proxy.ts';
import type { RedisClient } from '../../store/redis/connect.ts';
import { RedisLimiter } from './redis-limiter.ts';
import type { AdmitRequest, LimitSubject } from './types.ts';

const url = await findRedis();
const zeroSpend = async (): Promise<number> => 0;
/** Allowed lateness past the timeout on a busy 2-CPU machine. */
const SLACK_MS = 150;

function request(subjects: LimitSubject[], costMicros = 0): AdmitRequest {
  return { requestId: randomUUID(), subjects, tokens: 10, costMicros, now: Date.now() };
}

function everything(): LimitSubject {
  return {
    kind: 'key',
    id: randomUUID(),
    rules: { rpm: 100, tpm: 10_000, maxConcurrent: 1, budget: { micros: 1000, period: 'day' } },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

if (url === undefined) {
  redisUnreachable('RedisLimiter failures');
} else {
  describe('RedisLimiter when Redis fails', () => {
    const factory = redisLimiterFactory(url);
    after(() => factory.dispose());
    const target = new URL(url);

    test('Redis down: admit rejects with LimiterUnavailable at once, settle logs instead of rejecting', async () => {
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      try {
        const errors: Error[] = [];
        const limiter = await factory.create(zeroSpend, {
          url: `redis://127.0.0.1:${proxy.port}`,
          onError: (error) => errors.push(error),
        });
        const subject = everything();
        const admitted = await limiter.admit(request([subject], 10));
        assert.ok(admitted.admitted, 'admitted while Redis is up');
        await proxy.down();
        await sleep(20);
        const down = await rejectsUnavailable(limiter.admit(request([subject])));
        assert.ok(down.unavailable, 'LimiterUnavailable');
        assert.ok(down.ms < REDIS_TIMEOUT_MS + SLACK_MS, `within the timeout (${down.ms.toFixed(0)} ms)`);
        const status = await rejectsUnavailable(limiter.budgetStatus(subject, Date.now()));
        assert.ok(status.unavailable, 'budgetStatus rejects with LimiterUnavailable too');
        await limiter.settle(admitted.ticket, { tokens: 5, costMicros: 5 }, Date.now());
        assert.equal(errors.length, 1, 'settle reported its failure through onError');
      } finally {
        await proxy.close();
      }
    });

    test('Redis hung (connected, never answers): LimiterUnavailable after redisTimeoutMs', async () => {
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      try {
        const errors: Error[] = [];
        const limiter = await factory.create(zeroSpend, {
          url: `redis://127.0.0.1:${proxy.port}`,
          onError: (error) => errors.push(error),
        });
        proxy.stall();
        const hung = await rejectsUnavailable(limiter.admit(request([everything()])));
        assert.ok(hung.unavailable, 'LimiterUnavailable');
        assert.ok(
          hung.ms >= REDIS_TIMEOUT_MS - 5 && hung.ms < REDIS_TIMEOUT_MS + SLACK_MS,
          `after the timeout (${hung.ms.toFixed(0)} ms)`,
        );
        const ticket = { requestId: 'r', subjects: [everything()], tokens: 0, costMicros: 0, periodStarts: {} };
        const settling = performance.now();
        await limiter.settle(ticket, { tokens: 0, costMicros: 0 }, Date.now());
        assert.ok(performance.now() - settling < REDIS_TIMEOUT_MS + SLACK_MS, 'settle returns too');
        assert.equal(errors.length, 1, 'and reports the timeout');
      } finally {
        await proxy.close();
      }
    });

    test('nothing listening on the port: LimiterUnavailable within the timeout', async () => {
      const client: RedisClient = createClient({
        url: `redis://127.0.0.1:${await freePort()}`,
        disableOfflineQueue: true,
        socket: { reconnectStrategy: () => 100 },
      });
      client.on('error', () => {});
      client.connect().catch(() => {});
      try {
        const limiter = new RedisLimiter({ client, spendSource: zeroSpend, redisTimeoutMs: REDIS_TIMEOUT_MS });
        const refused = await rejectsUnavailable(limiter.admit(request([everything()])));
        assert.ok(refused.unavailable, 'LimiterUnavailable');
        assert.ok(refused.ms < REDIS_TIMEOUT_MS + SLACK_MS, `within the timeout (${refused.ms.toFixed(0)} ms)`);
      } finally {
        client.destroy();
      }
    });

    test('a ticket never settled (its replica died) frees its slot and reservation when the lease ends', async () => {
      const subject = everything();
      const dying = await factory.create(zeroSpend, { leaseMs: 300 });
      const survivor = await factory.create(zeroSpend, { leaseMs: 300 });
      const orphan = await dying.admit(request([subject], 600));
      assert.ok(orphan.admitted, 'the dying replica admits');
      const blocked = await survivor.admit(request([subject], 600));
      assert.ok(!blocked.admitted && blocked.limit === 'concurrency', 'slot taken by the orphan');
      assert.equal((await survivor.budgetStatus(subject, Date.now()))?.reservedMicros, 600, 'reservation held');
      await sleep(350);
      const freed = await survivor.admit(request([subject], 600));
      assert.ok(freed.admitted, 'admitted once the lease ran out');
      assert.equal((await survivor.budgetStatus(subject, Date.now()))?.reservedMicros, 600, 'only the new reservation');
      await survivor.settle(freed.ticket, { tokens: 10, costMicros: 100 }, Date.now());
      await dying.settle(orphan.ticket, { tokens: 10, costMicros: 100 }, Date.now());
      const status = await survivor.budgetStatus(subject, Date.now());
      assert.deepEqual(
        [status?.spentMicros, status?.reservedMicros],
        [200, 0],
        'a late settle counts its cost, frees nothing twice',
      );
    });
  });
}
