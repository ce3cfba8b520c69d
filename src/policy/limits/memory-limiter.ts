/**
 * The in-process limiter (one replica, SQLite store). JavaScript runs the check-then-consume part
 * without an await in between, so admission is atomic without locks. Only budget seeding awaits:
 * the spent figure of a subject and period is read once from the durable store (`SpendSource`),
 * concurrent first requests share that one read.
 */
import { gcraAdjust, gcraTake, gcraWindow, mostConstrained } from './gcra.ts';
import { periodEnd, periodStart } from './periods.ts';
import { budgetPeriodStarts, CONCURRENCY_RETRY_HINT_MS, nonNegative, subjectKey, ticketOf } from './subjects.ts';
import {
  type AdmitOutcome,
  type AdmitRequest,
  type BudgetStatus,
  type Limiter,
  LimiterUnavailable,
  type LimitName,
  type LimitSubject,
  type LimitTicket,
  type RateWindow,
  type SpendSource,
} from './types.ts';

interface SubjectState {
  requestsTat: number | undefined;
  tokensTat: number | undefined;
  /** In-flight request id → micro-USD it reserved. */
  inFlight: Map<string, number>;
  reservedMicros: number;
  spend: { periodStart: number; micros: number } | undefined;
}

export interface MemoryLimiterOptions {
  spendSource: SpendSource;
}

interface Denial {
  subject: LimitSubject;
  limit: LimitName;
  retryAfterMs: number | undefined;
}

const MAX_SEED_ROUNDS = 3;

export class MemoryLimiter implements Limiter {
  readonly #states = new Map<string, SubjectState>();
  readonly #seeding = new Map<string, Promise<void>>();
  readonly #spendSource: SpendSource;

  constructor(options: MemoryLimiterOptions) {
    this.#spendSource = options.spendSource;
  }

  async admit(request: AdmitRequest): Promise<AdmitOutcome> {
    // Another request may roll a subject into a newer period between the seed and the check.
    for (let round = 0; round < MAX_SEED_ROUNDS; round++) {
      await Promise.all(request.subjects.map((subject) => this.#ensureSeeded(subject, request.now)));
      const periodStarts = budgetPeriodStarts(request.subjects, request.now);
      if (request.subjects.every((subject) => this.#isSeeded(subject, periodStarts))) {
        return this.#admitSeeded(request, periodStarts);
      }
    }
    throw new LimiterUnavailable('budget periods kept changing while seeding spend');
  }

  async settle(ticket: LimitTicket, actual: { tokens: number; costMicros: number }, now: number): Promise<void> {
    const real = nonNegative(actual);
    for (const subject of ticket.subjects) {
      const state = this.#state(subject);
      const reserved = state.inFlight.get(ticket.requestId);
      if (reserved !== undefined) {
        state.inFlight.delete(ticket.requestId);
        state.reservedMicros = Math.max(0, state.reservedMicros - reserved);
      }
      const start = ticket.periodStarts[subjectKey(subject)];
      if (start !== undefined && state.spend?.periodStart === start) state.spend.micros += real.costMicros;
      const tpm = subject.rules.tpm;
      if (tpm !== undefined && real.tokens !== ticket.tokens) {
        state.tokensTat = gcraAdjust(state.tokensTat, now, real.tokens - ticket.tokens, tpm);
      }
    }
  }

  async budgetStatus(subject: LimitSubject, now: number): Promise<BudgetStatus | undefined> {
    const budget = subject.rules.budget;
    if (budget === undefined) return undefined;
    await this.#ensureSeeded(subject, now);
    const state = this.#state(subject);
    const start = periodStart(budget.period, now);
    return {
      limitMicros: budget.micros,
      spentMicros: state.spend?.periodStart === start ? state.spend.micros : 0,
      reservedMicros: state.reservedMicros,
      periodStart: start,
      resetsAt: periodEnd(budget.period, now),
    };
  }

  async close(): Promise<void> {}

  #admitSeeded(request: AdmitRequest, periodStarts: Record<string, number>): AdmitOutcome {
    const { now } = request;
    const denial = this.#firstDenial(request);
    if (denial !== undefined) return { admitted: false, ...denial, ...this.#windows(request.subjects, now) };
    for (const subject of request.subjects) {
      const state = this.#state(subject);
      const { rpm, tpm, budget } = subject.rules;
      if (rpm !== undefined) state.requestsTat = gcraTake(state.requestsTat, now, 1, rpm).tat;
      if (tpm !== undefined) state.tokensTat = gcraTake(state.tokensTat, now, request.tokens, tpm).tat;
      const reserved = budget === undefined ? 0 : request.costMicros;
      state.inFlight.set(request.requestId, reserved);
      state.reservedMicros += reserved;
    }
    return { admitted: true, ticket: ticketOf(request, periodStarts), ...this.#windows(request.subjects, now) };
  }

  /** Checks every limit of every subject, in order: requests, tokens, concurrency, budget. */
  #firstDenial(request: AdmitRequest): Denial | undefined {
    const { now } = request;
    for (const subject of request.subjects) {
      const state = this.#state(subject);
      const { rpm, tpm, maxConcurrent, budget } = subject.rules;
      if (rpm !== undefined) {
        const take = gcraTake(state.requestsTat, now, 1, rpm);
        if (!take.allowed) return { subject, limit: 'requests', retryAfterMs: take.retryAfterMs };
      }
      if (tpm !== undefined) {
        const take = gcraTake(state.tokensTat, now, request.tokens, tpm);
        if (!take.allowed) return { subject, limit: 'tokens', retryAfterMs: take.retryAfterMs };
      }
      if (maxConcurrent !== undefined && state.inFlight.size >= maxConcurrent) {
        return { subject, limit: 'concurrency', retryAfterMs: CONCURRENCY_RETRY_HINT_MS };
      }
      if (budget !== undefined) {
        const spent = state.spend?.micros ?? 0;
        if (spent + state.reservedMicros + request.costMicros > budget.micros) {
          return { subject, limit: 'budget', retryAfterMs: undefined };
        }
      }
    }
    return undefined;
  }

  #windows(
    subjects: readonly LimitSubject[],
    now: number,
  ): { requests: RateWindow | undefined; tokens: RateWindow | undefined } {
    const requests: RateWindow[] = [];
    const tokens: RateWindow[] = [];
    for (const subject of subjects) {
      const state = this.#state(subject);
      if (subject.rules.rpm !== undefined) requests.push(gcraWindow(state.requestsTat, now, subject.rules.rpm));
      if (subject.rules.tpm !== undefined) tokens.push(gcraWindow(state.tokensTat, now, subject.rules.tpm));
    }
    return { requests: mostConstrained(requests), tokens: mostConstrained(tokens) };
  }

  #isSeeded(subject: LimitSubject, periodStarts: Record<string, number>): boolean {
    const start = periodStarts[subjectKey(subject)];
    return start === undefined || this.#state(subject).spend?.periodStart === start;
  }

  #ensureSeeded(subject: LimitSubject, now: number): Promise<void> {
    const budget = subject.rules.budget;
    if (budget === undefined) return Promise.resolve();
    const start = periodStart(budget.period, now);
    const state = this.#state(subject);
    if (state.spend !== undefined && state.spend.periodStart >= start) return Promise.resolve();
    const seedKey = `${subjectKey(subject)}:${start}`;
    let seeding = this.#seeding.get(seedKey);
    if (seeding === undefined) {
      seeding = this.#seed(subject, state, start).finally(() => this.#seeding.delete(seedKey));
      this.#seeding.set(seedKey, seeding);
    }
    return seeding;
  }

  async #seed(subject: LimitSubject, state: SubjectState, start: number): Promise<void> {
    let micros: number;
    try {
      micros = await this.#spendSource({ kind: subject.kind, id: subject.id }, start);
    } catch (error) {
      throw new LimiterUnavailable(`reading the spend of ${subjectKey(subject)} failed`, { cause: error });
    }
    // A newer period may have been seeded meanwhile; never go back to an older one.
    if (state.spend === undefined || state.spend.periodStart < start) {
      state.spend = { periodStart: start, micros: Math.max(0, Math.round(micros)) };
    }
  }

  #state(subject: { kind: 'key' | 'team'; id: string }): SubjectState {
    const key = subjectKey(subject);
    let state = this.#states.get(key);
    if (state === undefined) {
      state = {
        requestsTat: undefined,
        tokensTat: undefined,
        inFlight: new Map(),
        reservedMicros: 0,
        spend: undefined,
      };
      this.#states.set(key, state);
    }
    return state;
  }
}
