import type { Logger } from 'pino';
import { GatewayError } from '../core/errors.ts';
import type { RequestLogRecord } from '../store/types.ts';
import type { Admission, RequestFacts, RequestPolicy } from './admission.ts';
import type { ApiKeyEntry } from './key-store.ts';
import { limitSubjects } from './limit-subjects.ts';
import { budgetPeriodStarts, ticketOf } from './limits/subjects.ts';
import {
  type AdmitOutcome,
  type Limiter,
  LimiterUnavailable,
  type LimitName,
  type LimitSubject,
} from './limits/types.ts';
import type { PriceBook, PricedTarget } from './pricing/types.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';

export interface TenancyPolicyOptions {
  limiter: Limiter;
  prices: PriceBook;
  /** `pricing.unpriced`: what a budgeted key gets on a model with no price. */
  unpriced: 'allow' | 'deny';
  /** `limits.onStoreError`: serve (open) or refuse with 503 (closed) when the limits store is unreachable. */
  onStoreError: 'open' | 'closed';
  /** Output tokens reserved for a request that sets no max. */
  defaultMaxOutputTokens: number;
  /** The provider type of a configured provider name (prices are looked up by it). */
  providerType(providerName: string): string | undefined;
  write(record: RequestLogRecord): void;
  logger: Logger;
  now?: () => number;
}

/** Errors about the limits store are logged at most this often (a Redis outage must not flood the log). */
const STORE_ERROR_LOG_EVERY_MS = 10_000;

/**
 * Limits, budgets and prices on the request path: admission takes every limit of the key and its
 * team at once (with the worst-case cost reserved against budgets); settlement prices the request's
 * real usage, writes its row and hands the real figures back to the limiter, off the hot path.
 */
export class TenancyPolicy implements RequestPolicy {
  private readonly now: () => number;
  private lastStoreErrorLog = Number.NEGATIVE_INFINITY;
  /** Requests refused at admission → the limit that refused them, until `settle` puts it on the record. */
  private readonly refusedBy = new Map<string, string>();

  constructor(private readonly options: TenancyPolicyOptions) {
    this.now = options.now ?? Date.now;
  }

  async admit(key: ApiKeyEntry | undefined, facts: RequestFacts): Promise<Admission> {
    const subjects = key === undefined ? [] : limitSubjects(key);
    if (subjects.length === 0) return { key, facts, ticket: undefined, headers: undefined };
    const needsTokens = subjects.some((subject) => subject.rules.tpm !== undefined);
    const budgeted = subjects.some((subject) => subject.rules.budget !== undefined);
    const maxOutput = facts.maxOutputTokens ?? this.options.defaultMaxOutputTokens * facts.choices;
    const inputTokens = needsTokens || budgeted ? facts.inputTokens() : 0;
    const costMicros = budgeted ? this.worstCaseCost(facts, inputTokens, maxOutput) : 0;
    let outcome: AdmitOutcome;
    try {
      outcome = await this.options.limiter.admit({
        requestId: facts.requestId,
        subjects,
        tokens: needsTokens ? inputTokens + maxOutput : 0,
        costMicros,
        now: this.now(),
      });
    } catch (error) {
      return this.storeUnavailable(error, key, facts, subjects);
    }
    const headers = rateLimitHeaders(outcome.requests, outcome.tokens);
    if (!outcome.admitted) {
      this.refusedBy.set(facts.requestId, limitLabel(outcome.subject, outcome.limit));
      throw refusal(outcome, headers);
    }
    return { key, facts, ticket: outcome.ticket, headers };
  }

  settle(admission: Admission | undefined, record: RequestLogRecord): void {
    const refusedBy = this.refusedBy.get(record.requestId);
    if (refusedBy !== undefined) {
      this.refusedBy.delete(record.requestId);
      record.refusedByLimit = refusedBy;
    }
    try {
      record.costMicros = this.costOf(record);
    } catch (error) {
      this.options.logger.error({ err: error, requestId: record.requestId }, 'pricing a request failed');
    }
    this.options.write(record);
    const ticket = admission?.ticket;
    if (ticket === undefined) return;
    const tokens = (record.inputTokens ?? 0) + (record.outputTokens ?? 0);
    this.options.limiter
      .settle(ticket, { tokens, costMicros: record.costMicros ?? 0 }, this.now())
      .catch((error: unknown) =>
        this.options.logger.error({ err: error, requestId: record.requestId }, 'settling limits failed'),
      );
  }

  /** The most the request can cost on any deployment it may reach (refused when one has no price and unpriced is deny). */
  private worstCaseCost(facts: RequestFacts, inputTokens: number, outputTokens: number): number {
    let worst = 0;
    for (const target of facts.targets()) {
      const price = this.options.prices.priceFor(target);
      if (price === undefined) {
        if (this.options.unpriced === 'deny') throw unpricedRefusal(target);
        continue;
      }
      worst = Math.max(worst, price.worstCase(inputTokens, outputTokens));
    }
    return worst;
  }

  private costOf(record: RequestLogRecord): number | null {
    if (record.inputTokens === null || record.provider === null || record.upstreamModel === null) return null;
    const providerType = this.options.providerType(record.provider);
    if (providerType === undefined) return null;
    const price = this.options.prices.priceFor({
      publicModel: record.publicModel ?? record.upstreamModel,
      providerName: record.provider,
      providerType,
      upstreamModel: record.upstreamModel,
    });
    if (price === undefined) return null;
    return price.cost({
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens ?? 0,
      ...(record.cachedInputTokens === null ? {} : { cachedInputTokens: record.cachedInputTokens }),
      ...(record.cacheWriteTokens === null ? {} : { cacheWriteTokens: record.cacheWriteTokens }),
      ...(record.reasoningTokens === null ? {} : { reasoningTokens: record.reasoningTokens }),
      estimated: record.usageEstimated,
    });
  }

  private storeUnavailable(
    error: unknown,
    key: ApiKeyEntry | undefined,
    facts: RequestFacts,
    subjects: LimitSubject[],
  ): Admission {
    if (!(error instanceof LimiterUnavailable)) throw error;
    const now = this.now();
    if (now - this.lastStoreErrorLog >= STORE_ERROR_LOG_EVERY_MS) {
      this.lastStoreErrorLog = now;
      this.options.logger.error(
        { err: error, onStoreError: this.options.onStoreError },
        this.options.onStoreError === 'open'
          ? 'limits store unreachable: serving without limits (limits.onStoreError: open)'
          : 'limits store unreachable: refusing limited keys (limits.onStoreError: closed)',
      );
    }
    if (this.options.onStoreError === 'closed') {
      throw new GatewayError(
        'limits_unavailable',
        'Rate limits and budgets cannot be checked right now; try again shortly.',
        { retryAfterMs: 1000 },
      );
    }
    // Nothing was taken; settling this empty ticket still charges the request's real cost and
    // tokens, if the store is back by then, so that serving through an outage is not free.
    const ticket = ticketOf(
      { requestId: facts.requestId, subjects, tokens: 0, costMicros: 0 },
      budgetPeriodStarts(subjects, now),
    );
    return { key, facts, ticket, headers: undefined };
  }
}

const LIMIT_WORDS = {
  requests: 'requests per minute',
  tokens: 'tokens per minute',
  concurrency: 'concurrent requests',
};

/** The limit as the config names it (`rpm`, `tpm`, `maxConcurrent`, `budget`), `team.` in front for a team's. */
function limitLabel(subject: LimitSubject, limit: LimitName): string {
  const field = LIMIT_FIELDS[limit];
  return subject.kind === 'team' ? `team.${field}` : field;
}

const LIMIT_FIELDS: Record<LimitName, string> = {
  requests: 'rpm',
  tokens: 'tpm',
  concurrency: 'maxConcurrent',
  budget: 'budget',
};

function whose(subject: LimitSubject): string {
  return subject.kind === 'key' ? 'this key' : `team '${subject.id}'`;
}

function refusal(outcome: Extract<AdmitOutcome, { admitted: false }>, headers: Record<string, string> | undefined) {
  const { subject, limit, retryAfterMs } = outcome;
  if (limit === 'budget') {
    const budget = subject.rules.budget;
    const period = budget?.period === 'total' ? '' : ` this ${budget?.period}`;
    return new GatewayError(
      'insufficient_quota',
      `The budget of ${whose(subject)} is exhausted${period} (limit $${formatUsd(budget?.micros ?? 0)}).`,
      { status: 429, retryable: false, headers },
    );
  }
  const rule =
    limit === 'requests' ? subject.rules.rpm : limit === 'tokens' ? subject.rules.tpm : subject.rules.maxConcurrent;
  const wait = retryAfterMs === undefined ? '' : ` Retry in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`;
  const tooLarge =
    limit === 'tokens' && retryAfterMs === undefined ? ' This request alone needs more tokens than the limit.' : '';
  return new GatewayError(
    'rate_limit_exceeded',
    `Rate limit reached for ${whose(subject)}: ${rule} ${LIMIT_WORDS[limit]}.${tooLarge}${wait}`,
    { retryAfterMs: retryAfterMs ?? (limit === 'concurrency' ? 1000 : undefined), retryable: tooLarge === '', headers },
  );
}

function unpricedRefusal(target: PricedTarget): GatewayError {
  return new GatewayError(
    'model_not_priced',
    `The model \`${target.publicModel}\` has no price (${target.providerName}/${target.upstreamModel}), and this key has a budget: set its price under pricing.models, or pricing.unpriced: allow.`,
    { param: 'model' },
  );
}

function formatUsd(micros: number): string {
  return (micros / 1_000_000).toFixed(2);
}
