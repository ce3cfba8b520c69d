import { periodStart } from './periods.ts';
import type { LimitSubject, LimitTicket } from './types.ts';

/** `${kind}:${id}`: how tickets name a subject (`LimitTicket.periodStarts`). */
export function subjectKey(subject: { kind: 'key' | 'team'; id: string }): string {
  return `${subject.kind}:${subject.id}`;
}

/** The period start of every budgeted subject at `now`, keyed by `subjectKey`. */
export function budgetPeriodStarts(subjects: readonly LimitSubject[], now: number): Record<string, number> {
  const starts: Record<string, number> = {};
  for (const subject of subjects) {
    const budget = subject.rules.budget;
    if (budget !== undefined) starts[subjectKey(subject)] = periodStart(budget.period, now);
  }
  return starts;
}

/** Settlement figures are never negative (a provider's odd usage must not refund a budget). */
export function nonNegative(actual: { tokens: number; costMicros: number }): { tokens: number; costMicros: number } {
  return { tokens: Math.max(0, actual.tokens), costMicros: Math.max(0, Math.round(actual.costMicros)) };
}

export function ticketOf(
  request: { requestId: string; subjects: readonly LimitSubject[]; tokens: number; costMicros: number },
  periodStarts: Record<string, number>,
): LimitTicket {
  return {
    requestId: request.requestId,
    subjects: request.subjects,
    tokens: request.tokens,
    costMicros: request.costMicros,
    periodStarts,
  };
}

/** A concurrency denial has no exact retry time; a second is a fair first guess for a client. */
export const CONCURRENCY_RETRY_HINT_MS = 1000;
