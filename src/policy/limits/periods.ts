/**
 * Budget periods on UTC calendar boundaries: a day, an ISO week (from Monday), a calendar month, or
 * `total` (everything since epoch 0, never resets). The Redis admission script computes the same
 * boundaries in Lua (redis-scripts.ts); periods.test.ts checks that both agree.
 */
import type { BudgetPeriod } from './types.ts';

const DAY_MS = 86_400_000;

/** Epoch ms of the start of the period that contains `now`. */
export function periodStart(period: BudgetPeriod, now: number): number {
  const date = new Date(now);
  switch (period) {
    case 'day':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    case 'week': {
      const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
      const daysSinceMonday = (date.getUTCDay() + 6) % 7;
      return day - daysSinceMonday * DAY_MS;
    }
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case 'total':
      return 0;
  }
}

/** Epoch ms of the start of the next period (the reset); undefined for `total`. */
export function periodEnd(period: BudgetPeriod, now: number): number | undefined {
  const start = periodStart(period, now);
  switch (period) {
    case 'day':
      return start + DAY_MS;
    case 'week':
      return start + 7 * DAY_MS;
    case 'month': {
      const date = new Date(start);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
    case 'total':
      return undefined;
  }
}
