import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { limiterContract } from '../../../test/support/limits/limiter-contract.ts';
import { redisLimiterFactory } from '../../../test/support/limits/redis-limiters.ts';
import { findRedis, redisUnreachable } from '../../../test/support/redis.ts';
import { periodStart } from './periods.ts';
import type { BudgetPeriod, LimitSubject } from './types.ts';

const url = await findRedis();

const zeroSpend = async (): Promise<number> => 0;

if (url === undefined) {
  redisUnreachable('RedisLimiter');
} else {
  const contractFactory = redisLimiterFactory(url);
  limiterContract({
    name: 'RedisLimiter',
    create: ({ spendSource, clock }) => contractFactory.create(spendSource, { clock }),
    dispose: () => contractFactory.dispose(),
  });

  describe('RedisLimiter across replicas (Redis TIME)', () => {
    const factory = redisLimiterFactory(url);
    after(() => factory.dispose());
    const key = (rules: LimitSubject['rules']): LimitSubject => ({ kind: 'key', id: randomUUID(), rules });

    test('200 concurrent admits from 3 limiters against rpm 60: exactly 60 plus the refill', async () => {
      const replicas = await Promise.all([1, 2, 3].map(() => factory.create(zeroSpend)));
      const subject = key({ rpm: 60 });
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          replicas[i % 3]?.admit({ requestId: randomUUID(), subjects: [subject], tokens: 0, costMicros: 0, now: 0 }),
        ),
      );
      const elapsedMs = performance.now() - started;
      const admitted = outcomes.filter((outcome) => outcome?.admitted).length;
      const refill = Math.ceil(elapsedMs / 1000);
      assert.ok(admitted >= 60 && admitted <= 60 + refill, `admitted ${admitted} in ${elapsedMs.toFixed(0)} ms`);
      for (const outcome of outcomes) {
        if (outcome === undefined || outcome.admitted) continue;
        assert.equal(outcome.limit, 'requests', 'denied by the request limit');
        assert.ok(outcome.retryAfterMs !== undefined && outcome.retryAfterMs <= 1000, 'retry within an interval');
        assert.equal(outcome.requests?.remaining, 0, 'denials show an empty window');
      }
    });

    test('budget under 50 concurrent admits from 3 limiters: spent + reserved never above the limit', async () => {
      const replicas = await Promise.all([1, 2, 3].map(() => factory.create(async () => 1000)));
      const subject = key({ budget: { micros: 10_000, period: 'month' } });
      const admit = (i: number) =>
        replicas[i % 3]?.admit({ requestId: randomUUID(), subjects: [subject], tokens: 0, costMicros: 300, now: 0 });
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => admit(i)));
      const tickets = outcomes.flatMap((outcome) => (outcome?.admitted ? [outcome.ticket] : []));
      assert.equal(tickets.length, 30, '1000 seeded + 30 × 300 = 10 000');
      const status = await replicas[0]?.budgetStatus(subject, Date.now());
      assert.equal((status?.spentMicros ?? 0) + (status?.reservedMicros ?? 0), 10_000, 'spent + reserved at the limit');
      await Promise.all(tickets.map((ticket, i) => replicas[i % 3]?.settle(ticket, { tokens: 0, costMicros: 250 }, 0)));
      const settled = await replicas[1]?.budgetStatus(subject, Date.now());
      assert.deepEqual(
        [settled?.spentMicros, settled?.reservedMicros],
        [8500, 0],
        'real costs replace the reservations',
      );
      const outcomesAfter = await Promise.all(Array.from({ length: 10 }, (_, i) => admit(i)));
      assert.equal(outcomesAfter.filter((outcome) => outcome?.admitted).length, 5, '1500 left: five more');
      const last = await admit(0);
      assert.ok(last !== undefined && !last.admitted && last.limit === 'budget', 'then insufficient budget');
    });

    test('after Redis loses its keys (restart), spend is seeded again from the store', async () => {
      let durable = 0;
      const calls: number[] = [];
      const limiter = await factory.create(async (_, since) => {
        calls.push(since);
        return durable;
      });
      const subject = key({ budget: { micros: 1000, period: 'total' } });
      const request = () =>
        limiter.admit({ requestId: randomUUID(), subjects: [subject], tokens: 0, costMicros: 400, now: 0 });
      const first = await request();
      assert.ok(first.admitted, 'admitted');
      await limiter.settle(first.ticket, { tokens: 0, costMicros: 400 }, 0);
      durable = 400;
      await factory.deleteKeys();
      await limiter.settle(first.ticket, { tokens: 0, costMicros: 400 }, 0);
      assert.equal(
        await (await factory.admin()).exists(`${factory.prefix}spend:key:${subject.id}:0`),
        0,
        'settle does not create a missing counter',
      );
      assert.ok((await request()).admitted, '400 + 400 fits');
      assert.equal((await request()).admitted, false, '400 + 400 + 400 does not: the durable 400 was seeded');
      assert.deepEqual(calls, [0, 0], 'seeded at first use and after the loss');
    });

    test('scripts are loaded again after SCRIPT FLUSH (NOSCRIPT fallback)', async () => {
      const limiter = await factory.create(zeroSpend);
      const subject = key({ rpm: 10, budget: { micros: 10, period: 'day' } });
      const admit = () =>
        limiter.admit({ requestId: randomUUID(), subjects: [subject], tokens: 0, costMicros: 1, now: 0 });
      assert.ok((await admit()).admitted, 'before the flush');
      await (await factory.admin()).scriptFlush();
      const outcome = await admit();
      assert.ok(outcome.admitted, 'after the flush');
      await (await factory.admin()).scriptFlush();
      await limiter.settle(outcome.ticket, { tokens: 0, costMicros: 1 }, 0);
      assert.equal((await limiter.budgetStatus(subject, Date.now()))?.spentMicros, 1, 'settle ran after a flush too');
    });

    test('the Lua period boundaries agree with periods.ts', async () => {
      let now = 0;
      const limiter = await factory.create(zeroSpend, { clock: () => now });
      const instants = [
        Date.UTC(2024, 1, 29, 12),
        Date.UTC(2024, 2, 1) - 1,
        Date.UTC(2024, 2, 1),
        Date.UTC(2025, 0, 1) - 1,
        Date.UTC(2025, 11, 31, 23, 59, 59, 999),
        Date.UTC(2026, 5, 15, 0, 0, 0, 1),
        Date.UTC(2027, 0, 4),
        Date.UTC(2027, 0, 3, 23, 59),
        Date.UTC(2100, 1, 28, 6),
        Date.UTC(2100, 2, 1, 6),
        Date.UTC(1999, 11, 31, 23),
        Date.UTC(2000, 1, 29, 23),
        Date.UTC(2000, 2, 31, 23),
        Date.UTC(2000, 3, 1),
      ];
      for (const period of ['day', 'week', 'month', 'total'] satisfies BudgetPeriod[]) {
        for (const instant of instants) {
          now = instant;
          const subject = key({ budget: { micros: 10, period } });
          const outcome = await limiter.admit({
            requestId: randomUUID(),
            subjects: [subject],
            tokens: 0,
            costMicros: 0,
            now,
          });
          assert.ok(outcome.admitted, 'admitted');
          assert.equal(
            outcome.ticket.periodStarts[`key:${subject.id}`],
            periodStart(period, instant),
            `${period} at ${new Date(instant).toISOString()}`,
          );
        }
      }
    });
  });
}
