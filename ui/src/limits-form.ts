import type { BudgetPeriod, Limits } from './api/types.ts';

/** The limit fields of the key and team forms, as typed (strings: empty = unlimited). */
export interface LimitsDraft {
  rpm: string;
  tpm: string;
  maxConcurrent: string;
  budgetUsd: string;
  budgetPeriod: BudgetPeriod;
}

export function limitsDraft(limits?: Limits): LimitsDraft {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return {
    rpm: text(limits?.rpm),
    tpm: text(limits?.tpm),
    maxConcurrent: text(limits?.maxConcurrent),
    budgetUsd: text(limits?.budget?.usd),
    budgetPeriod: limits?.budget?.period ?? 'month',
  };
}

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function positiveInteger(field: string, label: string, text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new FieldError(field, `${label} must be a whole number of 1 or more.`);
  return value;
}

/** The API's limit fields (null = unlimited), or a FieldError naming the field. */
export function limitsBody(draft: LimitsDraft): Limits {
  const usdText = draft.budgetUsd.trim();
  let budget: Limits['budget'] = null;
  if (usdText !== '') {
    const usd = Number(usdText);
    if (!Number.isFinite(usd) || usd < 0)
      throw new FieldError('budgetUsd', 'Budget must be an amount in USD (0 or more).');
    budget = { usd, period: draft.budgetPeriod };
  }
  return {
    rpm: positiveInteger('rpm', 'Requests per minute', draft.rpm),
    tpm: positiveInteger('tpm', 'Tokens per minute', draft.tpm),
    maxConcurrent: positiveInteger('maxConcurrent', 'Concurrent requests', draft.maxConcurrent),
    budget,
  };
}

/** Only the set fields (a create body: unset = unlimited). */
export function withoutNulls<T extends object>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null)) as Partial<T>;
}

export function modelsList(text: string): string[] {
  const models = text
    .split(/[,\s]+/)
    .map((model) => model.trim())
    .filter((model) => model !== '');
  return models.length === 0 ? ['*'] : models;
}

export function limitsSummary(limits: Limits): string {
  const parts: string[] = [];
  if (limits.rpm !== null) parts.push(`${limits.rpm} rpm`);
  if (limits.tpm !== null) parts.push(`${limits.tpm} tpm`);
  if (limits.maxConcurrent !== null) parts.push(`${limits.maxConcurrent} concurrent`);
  return parts.length === 0 ? 'unlimited' : parts.join(' · ');
}
