import type { KeyDirectory } from '../policy/key-directory.ts';
import { usdToMicros } from '../policy/key-entries.ts';
import type { Limiter, LimitSubject } from '../policy/limits/types.ts';
import type { Store, StoredLimits } from '../store/types.ts';
import type { LiveModels } from './model-routes.ts';
import type { PlaygroundServer } from './playground-route.ts';
import type { BudgetInput } from './schemas.ts';
import { budgetStatusView } from './views.ts';

export interface AdminDeps {
  /** `server.adminKey`; undefined = every /admin/* route answers 404. */
  adminKey: string | undefined;
  store: Store;
  directory: KeyDirectory;
  /** Spend and remaining budget in GET /admin/keys/{id} and /admin/teams/{name}; unset = not shown. */
  limiter?: Pick<Limiter, 'budgetStatus'> | undefined;
  now?: () => number;
  /** The models served now and the router's view of them (`GET /admin/models`); unset = an empty list. */
  models?: (() => LiveModels) | undefined;
  /** Serves the console playground through the gateway; unset = the route answers 404. */
  playground?: PlaygroundServer | undefined;
}

interface LimitFields {
  rpm?: number | null | undefined;
  tpm?: number | null | undefined;
  maxConcurrent?: number | null | undefined;
  budget?: BudgetInput | null | undefined;
}

/** A create body's limits as stored (unset = unlimited). */
export function storedLimits(body: LimitFields): StoredLimits {
  return {
    rpm: body.rpm ?? null,
    tpm: body.tpm ?? null,
    maxConcurrent: body.maxConcurrent ?? null,
    ...storedBudget(body.budget ?? null),
  };
}

/** Only the limits a PATCH body names (null clears one). */
export function limitsPatch(body: LimitFields): Partial<StoredLimits> {
  const patch: Partial<StoredLimits> = {};
  if (body.rpm !== undefined) patch.rpm = body.rpm;
  if (body.tpm !== undefined) patch.tpm = body.tpm;
  if (body.maxConcurrent !== undefined) patch.maxConcurrent = body.maxConcurrent;
  if (body.budget !== undefined) Object.assign(patch, storedBudget(body.budget));
  return patch;
}

function storedBudget(budget: BudgetInput | null): Pick<StoredLimits, 'budgetMicros' | 'budgetPeriod'> {
  return budget === null
    ? { budgetMicros: null, budgetPeriod: null }
    : { budgetMicros: usdToMicros(budget.usd), budgetPeriod: budget.period ?? 'month' };
}

/** A subject's budget this period, or null without a budget or a limiter (or when the limiter cannot say). */
export async function spendOf(deps: AdminDeps, subject: LimitSubject, now: number) {
  const budget = subject.rules.budget;
  if (budget === undefined || deps.limiter === undefined) return null;
  try {
    const status = await deps.limiter.budgetStatus(subject, now);
    return status === undefined ? null : budgetStatusView(status, budget.period);
  } catch {
    return null;
  }
}

/** Page bounds of a list that shows the config's entries first, then the store's. */
export function splitPage(staticCount: number, offset: number, limit: number) {
  const staticEnd = Math.min(staticCount, offset + limit);
  const staticSlice = { start: Math.min(offset, staticCount), end: staticEnd };
  const shown = Math.max(0, staticEnd - offset);
  return { staticSlice, storeOffset: Math.max(0, offset - staticCount), storeLimit: limit - shown };
}
