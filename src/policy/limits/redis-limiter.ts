/**
 * The limiter shared by replicas: all counters, TATs and reservations live in Redis and change only
 * inside Lua scripts (redis-scripts.ts), one call per admission, using Redis TIME as the clock so
 * replicas agree. In-flight tickets hold a lease: a replica that dies before settling frees its
 * concurrency slots and budget reservations when the lease ends (pruned at the next admission).
 * Spend counters are seeded from the durable store when missing (first use, new period, Redis restart).
 */
import type { RedisClient } from '../../store/redis/connect.ts';
import { periodEnd, periodStart } from './periods.ts';
import { parseSubject, stringArray, windowsOf } from './redis-replies.ts';
import { ADMIT_SCRIPT, BUDGET_STATUS_SCRIPT, type LuaScript, SETTLE_SCRIPT } from './redis-scripts.ts';
import { CONCURRENCY_RETRY_HINT_MS, nonNegative, subjectKey, ticketOf } from './subjects.ts';
import {
  type AdmitOutcome,
  type AdmitRequest,
  type BudgetPeriod,
  type BudgetStatus,
  type Limiter,
  LimiterUnavailable,
  type LimitName,
  type LimitSubject,
  type LimitTicket,
  type SpendSource,
} from './types.ts';

export interface RedisLimiterOptions {
  /** From `connectRedis`; shared with the rest of the app, so `close()` leaves it open. */
  client: RedisClient;
  spendSource: SpendSource;
  /** Every Redis call fails with LimiterUnavailable after this long. */
  redisTimeoutMs: number;
  /** Default `llmux:`. */
  keyPrefix?: string;
  /** How long an unsettled ticket holds its slot and reservation. Default 15 minutes. */
  leaseMs?: number;
  /** Settlement failures (settle never rejects). */
  onError?: (error: Error) => void;
  /** Tests only: replaces Redis TIME as the scripts' clock (period rollover, lease expiry). */
  clock?: () => number;
}

const DAY_MS = 86_400_000;
const MAX_SEED_ROUNDS = 3;

export class RedisLimiter implements Limiter {
  readonly #client: RedisClient;
  readonly #spendSource: SpendSource;
  readonly #timeoutMs: number;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #onError: (error: Error) => void;
  readonly #clock: (() => number) | undefined;
  readonly #seeding = new Map<string, Promise<void>>();

  constructor(options: RedisLimiterOptions) {
    this.#client = options.client;
    this.#spendSource = options.spendSource;
    this.#timeoutMs = options.redisTimeoutMs;
    this.#prefix = options.keyPrefix ?? 'llmux:';
    this.#leaseMs = options.leaseMs ?? 15 * 60_000;
    this.#onError = options.onError ?? (() => {});
    this.#clock = options.clock;
  }

  async admit(request: AdmitRequest): Promise<AdmitOutcome> {
    const keys = request.subjects.flatMap((subject) => this.#subjectKeys(subject));
    const args = [
      request.requestId,
      String(request.tokens),
      String(Math.max(0, Math.round(request.costMicros))),
      String(this.#leaseMs),
      this.#clockArg(),
      ...request.subjects.flatMap((subject) => {
        const { rpm, tpm, maxConcurrent, budget } = subject.rules;
        return [
          opt(rpm),
          opt(tpm),
          opt(maxConcurrent),
          opt(budget?.micros),
          budget?.period ?? '',
          this.#spendBase(subject),
        ];
      }),
    ];
    for (let round = 0; round < MAX_SEED_ROUNDS; round++) {
      const reply = stringArray(await this.#run(ADMIT_SCRIPT, keys, args), 'admission');
      const subjects = request.subjects.map((_, index) => parseSubject(reply, index));
      const status = reply[0];
      if (status === 'seed') {
        await Promise.all(
          request.subjects.map((subject, index) => {
            const { budget } = subject.rules;
            const seeded = subjects[index];
            if (!seeded?.needsSeed || budget === undefined || seeded.periodStart === undefined) return undefined;
            return this.#seed(subject, budget.period, seeded.periodStart);
          }),
        );
        continue;
      }
      const now = Number(reply[1]);
      const windows = windowsOf(request.subjects, subjects, now);
      if (status === 'ok') {
        const periodStarts: Record<string, number> = {};
        request.subjects.forEach((subject, index) => {
          const start = subjects[index]?.periodStart;
          if (start !== undefined) periodStarts[subjectKey(subject)] = start;
        });
        return { admitted: true, ticket: ticketOf(request, periodStarts), ...windows };
      }
      const subject = request.subjects[Number(reply[2]) - 1];
      const limit = reply[3] as LimitName;
      if (status !== 'deny' || subject === undefined)
        throw new LimiterUnavailable(`unexpected admission reply ${status}`);
      const retryAfterMs =
        reply[4] !== '' ? Number(reply[4]) : limit === 'concurrency' ? CONCURRENCY_RETRY_HINT_MS : undefined;
      return { admitted: false, subject, limit, retryAfterMs, ...windows };
    }
    throw new LimiterUnavailable('spend counters still missing after seeding');
  }

  async settle(ticket: LimitTicket, actual: { tokens: number; costMicros: number }, _now: number): Promise<void> {
    const real = nonNegative(actual);
    const keys = ticket.subjects.flatMap((subject) => this.#subjectKeys(subject));
    const args = [
      ticket.requestId,
      String(real.tokens - ticket.tokens),
      String(real.costMicros),
      this.#clockArg(),
      ...ticket.subjects.flatMap((subject) => {
        const start = ticket.periodStarts[subjectKey(subject)];
        return [opt(subject.rules.tpm), start === undefined ? '' : this.#spendBase(subject) + String(start)];
      }),
    ];
    try {
      await this.#run(SETTLE_SCRIPT, keys, args);
    } catch (error) {
      this.#onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async budgetStatus(subject: LimitSubject, now: number): Promise<BudgetStatus | undefined> {
    const budget = subject.rules.budget;
    if (budget === undefined) return undefined;
    const start = periodStart(budget.period, now);
    const spendKey = this.#spendBase(subject) + String(start);
    const [, , inflight, tickets, reserved] = this.#subjectKeys(subject);
    const keys = [inflight, tickets, reserved].filter((key) => key !== undefined);
    for (let round = 0; round < MAX_SEED_ROUNDS; round++) {
      const [spent, reservedMicros] = stringArray(
        await this.#run(BUDGET_STATUS_SCRIPT, keys, [spendKey, this.#clockArg()]),
        'budget status',
      );
      if (spent === undefined || spent === '') {
        await this.#seed(subject, budget.period, start);
        continue;
      }
      return {
        limitMicros: budget.micros,
        spentMicros: Number(spent),
        reservedMicros: Number(reservedMicros ?? 0),
        periodStart: start,
        resetsAt: periodEnd(budget.period, now),
      };
    }
    throw new LimiterUnavailable('spend counter still missing after seeding');
  }

  async close(): Promise<void> {}

  /** Reads the durable spend once per key (concurrent first requests share it), SET NX so replicas agree. */
  #seed(subject: LimitSubject, period: BudgetPeriod, start: number): Promise<void> {
    const key = this.#spendBase(subject) + String(start);
    let seeding = this.#seeding.get(key);
    if (seeding === undefined) {
      seeding = this.#seedOnce(subject, period, start, key).finally(() => this.#seeding.delete(key));
      this.#seeding.set(key, seeding);
    }
    return seeding;
  }

  async #seedOnce(subject: LimitSubject, period: BudgetPeriod, start: number, key: string): Promise<void> {
    let micros: number;
    try {
      micros = await this.#spendSource({ kind: subject.kind, id: subject.id }, start);
    } catch (error) {
      throw new LimiterUnavailable(`reading the spend of ${subjectKey(subject)} failed`, { cause: error });
    }
    const end = periodEnd(period, start);
    const value = String(Math.max(0, Math.round(micros)));
    // Relative, so that a test clock far from the real one keeps the counter alive.
    const ttlMs =
      end === undefined ? undefined : Math.max(1000, Math.ceil(end + DAY_MS - (this.#clock?.() ?? Date.now())));
    await this.#bounded(
      ttlMs === undefined
        ? this.#client.set(key, value, { condition: 'NX' })
        : this.#client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
    );
  }

  #run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args };
    return this.#bounded(
      this.#client.evalSha(script.sha, options).catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT'))
          return this.#client.eval(script.source, options);
        throw error;
      }),
    );
  }

  /** Never waits past the timeout; a late reply is dropped (a ticket it took is freed by its lease). */
  #bounded<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new LimiterUnavailable(`Redis did not answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
      call.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(
            error instanceof LimiterUnavailable ? error : new LimiterUnavailable('Redis call failed', { cause: error }),
          );
        },
      );
    });
  }

  #subjectKeys(subject: LimitSubject): string[] {
    const name = `${subject.kind}:${subject.id}`;
    const p = this.#prefix;
    return [
      `${p}rpm:${name}`,
      `${p}tpm:${name}`,
      `${p}inflight:${name}`,
      `${p}tickets:${name}`,
      `${p}reserved:${name}`,
    ];
  }

  #spendBase(subject: LimitSubject): string {
    return `${this.#prefix}spend:${subject.kind}:${subject.id}:`;
  }

  #clockArg(): string {
    return this.#clock === undefined ? '' : String(this.#clock());
  }
}

function opt(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}
