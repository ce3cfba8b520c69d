import type { FastifyInstance } from 'fastify';
import type { ApiKeyEntry } from '../../policy/key-store.ts';
import type { Limiter, LimitRules, LimitSubject } from '../../policy/limits/types.ts';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const usd = (micros: number) => micros / 1_000_000;

/**
 * `GET /v1/key`: the calling key itself (name, models, team, limits, budget with what is spent,
 * what remains and when it resets), so a client can check its quota. Never the secret.
 */
export function registerKeyInfoRoute(
  app: FastifyInstance,
  /** The limiter now, when budgets are enforced (read per request). */
  limiter: () => Pick<Limiter, 'budgetStatus'> | undefined,
): void {
  const budgetOf = async (subject: LimitSubject, now: number) => {
    const budget = subject.rules.budget;
    if (budget === undefined) return null;
    // Without a limiter, or when it cannot be reached, the budget shows without its spend.
    const status = await limiter()
      ?.budgetStatus(subject, now)
      .catch(() => undefined);
    if (status === undefined) return { period: budget.period, limit_usd: usd(budget.micros) };
    return {
      period: budget.period,
      limit_usd: usd(status.limitMicros),
      spent_usd: usd(status.spentMicros),
      reserved_usd: usd(status.reservedMicros),
      remaining_usd: usd(Math.max(0, status.limitMicros - status.spentMicros - status.reservedMicros)),
      period_start: iso(status.periodStart),
      resets_at: iso(status.resetsAt),
    };
  };
  const handler = async (request: { apiKey?: ApiKeyEntry }) => {
    const key = request.apiKey;
    if (key === undefined) return {};
    const now = Date.now();
    const team = key.team;
    const [budget, teamBudget] = await Promise.all([
      budgetOf({ kind: 'key', id: key.id, rules: key.limits }, now),
      team === undefined ? null : budgetOf({ kind: 'team', id: team.name, rules: team.limits }, now),
    ]);
    return {
      object: 'key',
      id: key.id,
      name: key.name,
      models: key.models,
      expires_at: iso(key.expiresAt),
      limits: limitsView(key.limits),
      budget,
      team:
        team === undefined
          ? null
          : { name: team.name, models: team.models, limits: limitsView(team.limits), budget: teamBudget },
    };
  };
  app.get('/v1/key', handler);
  app.get('/key', handler);
}

function limitsView(rules: LimitRules) {
  return { rpm: rules.rpm ?? null, tpm: rules.tpm ?? null, max_concurrent: rules.maxConcurrent ?? null };
}
