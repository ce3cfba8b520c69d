/**
 * The behaviour every Limiter shares (MemoryLimiter, RedisLimiter), on an injected clock: the test
 * moves `now` and passes it in requests; a Redis limiter gets the same clock through its `clock`
 * option (instead of Redis TIME).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import type {
  AdmitOutcome,
  Limiter,
  LimitRules,
  LimitSubject,
  LimitTicket,
  SpendSource,
} from '../../../src/policy/limits/types.ts';

export interface LimiterHarness {
  name: string;
  create(options: { spendSource: SpendSource; clock: () => number }): Promise<Limiter>;
  /** After the whole contract (close clients, delete keys). */
  dispose?(): Promise<void>;
}

/** Thursday 2027-01-14 23:59:00 UTC: a minute before a day boundary, in the middle of a week and month. */
export const CONTRACT_START = Date.UTC(2027, 0, 14, 23, 59, 0);

interface Fixture {
  limiter: Limiter;
  clock: { now: number };
  spendCalls: Array<{ id: string; since: number }>;
  admit(subjects: LimitSubject[], extra?: { tokens?: number; costMicros?: number }): Promise<AdmitOutcome>;
  ticketOf(outcome: AdmitOutcome): LimitTicket;
}

function subject(kind: 'key' | 'team', rules: LimitRules): LimitSubject {
  return { kind, id: `${kind}-${randomUUID()}`, rules };
}

export function limiterContract(harness: LimiterHarness): void {
  describe(`Limiter contract: ${harness.name}`, () => {
    const limiters: Limiter[] = [];
    after(async () => {
      await Promise.all(limiters.map((limiter) => limiter.close()));
      await harness.dispose?.();
    });

    async function fixture(spent: (id: string, since: number) => number = () => 0): Promise<Fixture> {
      const clock = { now: CONTRACT_START };
      const spendCalls: Array<{ id: string; since: number }> = [];
      const spendSource: SpendSource = async ({ id }, since) => {
        spendCalls.push({ id, since });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return spent(id, since);
      };
      const limiter = await harness.create({ spendSource, clock: () => clock.now });
      limiters.push(limiter);
      return {
        limiter,
        clock,
        spendCalls,
        admit: (subjects, extra = {}) =>
          limiter.admit({
            requestId: randomUUID(),
            subjects,
            tokens: extra.tokens ?? 0,
            costMicros: extra.costMicros ?? 0,
            now: clock.now,
          }),
        ticketOf: (outcome) => {
          assert.ok(outcome.admitted, `expected an admission, got ${JSON.stringify(outcome)}`);
          return outcome.ticket;
        },
      };
    }

    test('rpm: a full bucket admits the limit at once, then one more per emission interval', async () => {
      const f = await fixture();
      const key = subject('key', { rpm: 3 });
      const first = await f.admit([key]);
      assert.ok(first.admitted, 'first request admitted');
      assert.deepEqual(first.requests, { limit: 3, remaining: 2, resetMs: 20_000 }, 'window after one request');
      assert.ok((await f.admit([key])).admitted && (await f.admit([key])).admitted, 'second and third admitted');
      const denied = await f.admit([key]);
      assert.ok(!denied.admitted, 'fourth request denied');
      assert.equal(denied.limit, 'requests');
      assert.equal(denied.subject.id, key.id);
      assert.equal(denied.retryAfterMs, 20_000, 'retry after one emission interval');
      assert.deepEqual(denied.requests, { limit: 3, remaining: 0, resetMs: 60_000 }, 'windows on a denial');
      f.clock.now += 19_999;
      assert.equal((await f.admit([key])).admitted, false, 'still denied just before the interval');
      f.clock.now += 1;
      assert.ok((await f.admit([key])).admitted, 'admitted after the interval');
    });

    test('tpm: variable cost, retry time, and a request larger than the bucket never passes', async () => {
      const f = await fixture();
      const key = subject('key', { tpm: 1000 });
      const first = await f.admit([key], { tokens: 600 });
      assert.ok(first.admitted, '600 of 1000 tokens admitted');
      assert.deepEqual(first.tokens, { limit: 1000, remaining: 400, resetMs: 36_000 });
      const denied = await f.admit([key], { tokens: 600 });
      assert.ok(!denied.admitted && denied.limit === 'tokens', 'another 600 denied');
      assert.equal(denied.retryAfterMs, 12_000, '200 tokens short at 60 ms per token');
      const huge = await f.admit([subject('key', { tpm: 1000 })], { tokens: 1001 });
      assert.ok(!huge.admitted && huge.limit === 'tokens', 'over-capacity request denied');
      assert.equal(huge.retryAfterMs, undefined, 'no retry time for a request above the capacity');
    });

    test('tpm settle refunds unused tokens and charges extra ones', async () => {
      const f = await fixture();
      const key = subject('key', { tpm: 1000 });
      const ticket = f.ticketOf(await f.admit([key], { tokens: 600 }));
      await f.limiter.settle(ticket, { tokens: 100, costMicros: 0 }, f.clock.now);
      const refilled = await f.admit([key], { tokens: 900 });
      assert.ok(refilled.admitted, '100 used + 900 fits after the refund');
      assert.equal(refilled.tokens?.remaining, 0, 'bucket empty after the refund and the 900');

      const other = subject('key', { tpm: 1000 });
      const charged = f.ticketOf(await f.admit([other], { tokens: 100 }));
      await f.limiter.settle(charged, { tokens: 700, costMicros: 0 }, f.clock.now);
      const after = await f.admit([other], { tokens: 400 });
      assert.ok(!after.admitted && after.limit === 'tokens', '700 used: 400 more does not fit');
      assert.ok((await f.admit([other], { tokens: 300 })).admitted, '300 more fits');
    });

    test('maxConcurrent: a slot is held until settle, and settling twice frees it once', async () => {
      const f = await fixture();
      const key = subject('key', { maxConcurrent: 2 });
      const a = f.ticketOf(await f.admit([key]));
      f.ticketOf(await f.admit([key]));
      const denied = await f.admit([key]);
      assert.ok(!denied.admitted && denied.limit === 'concurrency', 'third in flight denied');
      assert.ok(denied.retryAfterMs === undefined || denied.retryAfterMs <= 1000, 'a small hint at most');
      await f.limiter.settle(a, { tokens: 0, costMicros: 0 }, f.clock.now);
      await f.limiter.settle(a, { tokens: 0, costMicros: 0 }, f.clock.now);
      assert.ok((await f.admit([key])).admitted, 'a settled slot is free again');
      assert.equal((await f.admit([key])).admitted, false, 'a second settle of the same ticket freed nothing');
    });

    test('budget: spent + reserved + cost never passes the limit; settle replaces the reservation', async () => {
      const f = await fixture(() => 200);
      const key = subject('key', { budget: { micros: 1000, period: 'month' } });
      const first = f.ticketOf(await f.admit([key], { costMicros: 500 }));
      const denied = await f.admit([key], { costMicros: 400 });
      assert.ok(!denied.admitted && denied.limit === 'budget', '200 + 500 + 400 > 1000 denied');
      assert.equal(denied.retryAfterMs, undefined, 'no retry time for a budget');
      const second = f.ticketOf(await f.admit([key], { costMicros: 300 }));
      let status = await f.limiter.budgetStatus(key, f.clock.now);
      assert.deepEqual(
        status && { spent: status.spentMicros, reserved: status.reservedMicros, limit: status.limitMicros },
        { spent: 200, reserved: 800, limit: 1000 },
        'seeded spend plus two reservations',
      );
      await f.limiter.settle(first, { tokens: 0, costMicros: 100 }, f.clock.now);
      status = await f.limiter.budgetStatus(key, f.clock.now);
      assert.equal(status?.spentMicros, 300, 'spent = seed + real cost');
      assert.equal(status?.reservedMicros, 300, 'first reservation released');
      assert.equal(status?.periodStart, Date.UTC(2027, 0, 1));
      assert.equal(status?.resetsAt, Date.UTC(2027, 1, 1));
      assert.ok((await f.admit([key], { costMicros: 400 })).admitted, '300 + 300 + 400 = 1000 fits exactly');
      await f.limiter.settle(second, { tokens: 0, costMicros: 900 }, f.clock.now);
      const over = await f.admit([key], { costMicros: 1 });
      assert.ok(!over.admitted && over.limit === 'budget', 'a real cost above the reservation counts in full');
      await f.limiter.settle(f.ticketOf(await f.admit([subject('key', {})])), { tokens: -5, costMicros: -5 }, 0);
      assert.equal(await f.limiter.budgetStatus(subject('key', {}), f.clock.now), undefined, 'no budget, no status');
    });

    test('all-or-nothing: a denial by the team consumes nothing of the key', async () => {
      const f = await fixture();
      const key = subject('key', { rpm: 10, tpm: 10_000, maxConcurrent: 1, budget: { micros: 100, period: 'day' } });
      const team = subject('team', { rpm: 1 });
      assert.ok((await f.admit([subject('key', {}), team])).admitted, 'another key of the team uses its one request');
      const denied = await f.admit([key, team], { tokens: 100, costMicros: 50 });
      assert.ok(!denied.admitted, 'team limit denies');
      assert.equal(denied.subject.id, team.id, 'the failing subject is the team');
      assert.equal(denied.limit, 'requests');
      assert.equal(denied.retryAfterMs, 60_000);
      const alone = await f.admit([key], { tokens: 100, costMicros: 50 });
      assert.ok(alone.admitted, 'the key alone still has its slot and budget');
      assert.deepEqual(alone.requests, { limit: 10, remaining: 9, resetMs: 6000 }, 'the key lost no request');
      assert.equal(alone.tokens?.remaining, 9900, 'the key lost no tokens');
      assert.equal((await f.limiter.budgetStatus(key, f.clock.now))?.reservedMicros, 50, 'one reservation only');
    });

    test('windows report the most constrained subject', async () => {
      const f = await fixture();
      const key = subject('key', { rpm: 100, tpm: 1000 });
      const team = subject('team', { rpm: 10, tpm: 100_000 });
      const outcome = await f.admit([key, team], { tokens: 10 });
      assert.deepEqual(outcome.requests, { limit: 10, remaining: 9, resetMs: 6000 }, 'team has fewer requests left');
      assert.deepEqual(outcome.tokens, { limit: 1000, remaining: 990, resetMs: 600 }, 'key has fewer tokens left');
      assert.equal((await f.admit([subject('key', { maxConcurrent: 1 })])).requests, undefined, 'no rpm, no window');
    });

    test('spend is seeded once per subject and period, even by concurrent first requests', async () => {
      const f = await fixture(() => 0);
      const key = subject('key', { budget: { micros: 1_000_000, period: 'week' } });
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => f.admit([key], { costMicros: 10 })));
      assert.ok(
        outcomes.every((outcome) => outcome.admitted),
        'all admitted',
      );
      assert.deepEqual(f.spendCalls, [{ id: key.id, since: Date.UTC(2027, 0, 11) }], 'one read, since Monday');
      assert.equal((await f.limiter.budgetStatus(key, f.clock.now))?.reservedMicros, 200);
      assert.equal(f.spendCalls.length, 1, 'budgetStatus reuses the seeded figure');
    });

    test('period rollover: a new day starts from the durable spend of that day', async () => {
      const f = await fixture((_, since) => (since === Date.UTC(2027, 0, 14) ? 900 : 0));
      const key = subject('key', { budget: { micros: 1000, period: 'day' } });
      const ticket = f.ticketOf(await f.admit([key], { costMicros: 100 }));
      await f.limiter.settle(ticket, { tokens: 0, costMicros: 100 }, f.clock.now);
      assert.equal((await f.admit([key], { costMicros: 1 })).admitted, false, 'day exhausted');
      f.clock.now += 60_000;
      const nextDay = await f.admit([key], { costMicros: 1000 });
      assert.ok(nextDay.admitted, 'a new day, a new budget');
      assert.equal(nextDay.ticket.periodStarts[`key:${key.id}`], Date.UTC(2027, 0, 15), 'ticket names the new period');
      const status = await f.limiter.budgetStatus(key, f.clock.now);
      assert.equal(status?.spentMicros, 0, 'spent restarts');
      assert.equal(status?.resetsAt, Date.UTC(2027, 0, 16));
      assert.deepEqual(
        f.spendCalls.map((call) => call.since),
        [Date.UTC(2027, 0, 14), Date.UTC(2027, 0, 15)],
        'seeded once per period',
      );
    });
  });
}
