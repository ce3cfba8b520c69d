/**
 * The limits engine's contract: rate limits (GCRA), concurrency and budgets for the subjects of a
 * request (its key, and its team), checked and consumed all-or-nothing at admission, settled when
 * the request ends. Two implementations: in-process (one replica, SQLite) and Redis (replicas).
 */

export type BudgetPeriod = 'day' | 'week' | 'month' | 'total';

/** The limits of one subject; an unset field is unlimited. */
export interface LimitRules {
  rpm?: number | undefined;
  tpm?: number | undefined;
  maxConcurrent?: number | undefined;
  budget?: { micros: number; period: BudgetPeriod } | undefined;
}

/** Whose limits: a key (by id; static keys have ids too) or a team (by name). */
export interface LimitSubject {
  kind: 'key' | 'team';
  id: string;
  rules: LimitRules;
}

export interface AdmitRequest {
  /** Unique per request: names its concurrency slot and budget reservation. */
  requestId: string;
  subjects: readonly LimitSubject[];
  /** Estimated tokens (prompt + max output) taken from every tpm bucket. */
  tokens: number;
  /** Worst-case cost in micro-USD reserved against every budget. */
  costMicros: number;
  /** Epoch ms (the in-process limiter's clock; the Redis one uses Redis TIME). */
  now: number;
}

export type LimitName = 'requests' | 'tokens' | 'concurrency' | 'budget';

/** One GCRA window as OpenAI's `x-ratelimit-*` headers show it. */
export interface RateWindow {
  limit: number;
  remaining: number;
  /** Until the bucket is full again. */
  resetMs: number;
}

/** What a request took at admission; handed back to `settle`. */
export interface LimitTicket {
  readonly requestId: string;
  readonly subjects: readonly LimitSubject[];
  readonly tokens: number;
  readonly costMicros: number;
  /** Start of each budgeted subject's period at admission (epoch ms), keyed `${kind}:${id}`. */
  readonly periodStarts: Readonly<Record<string, number>>;
}

export type AdmitOutcome =
  | {
      admitted: true;
      ticket: LimitTicket;
      /** The most constrained request and token windows over the subjects (undefined without rpm / tpm). */
      requests: RateWindow | undefined;
      tokens: RateWindow | undefined;
    }
  | {
      admitted: false;
      subject: LimitSubject;
      limit: LimitName;
      /** When a retry can succeed; undefined when it never will this period (budget, tokens over capacity). */
      retryAfterMs: number | undefined;
      requests: RateWindow | undefined;
      tokens: RateWindow | undefined;
    };

export interface BudgetStatus {
  limitMicros: number;
  spentMicros: number;
  reservedMicros: number;
  periodStart: number;
  /** Epoch ms of the next reset; undefined for `total`. */
  resetsAt: number | undefined;
}

/** Durable spend: the sum of request-log costs of a subject since an instant (micro-USD). */
export type SpendSource = (subject: { kind: 'key' | 'team'; id: string }, since: number) => Promise<number>;

export interface Limiter {
  /** All limits of all subjects at once: either everything is taken, or nothing. Rejects with LimiterUnavailable. */
  admit(request: AdmitRequest): Promise<AdmitOutcome>;
  /** Releases the concurrency slot, replaces the reservations with the real figures. Never rejects. */
  settle(ticket: LimitTicket, actual: { tokens: number; costMicros: number }, now: number): Promise<void>;
  /** A subject's budget this period; undefined when it has none. */
  budgetStatus(subject: LimitSubject, now: number): Promise<BudgetStatus | undefined>;
  close(): Promise<void>;
}

/** The shared store (Redis) could not be reached in time: `limits.onStoreError` decides. */
export class LimiterUnavailable extends Error {
  override readonly name = 'LimiterUnavailable';
}
