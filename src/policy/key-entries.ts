import type { StoredLimits } from '../store/types.ts';
import type { ApiKeyEntry, TeamEntry } from './key-store.ts';
import type { BudgetPeriod, LimitRules } from './limits/types.ts';

/** Limits as the config writes them (USD budgets). */
export interface ConfigLimits {
  rpm?: number | undefined;
  tpm?: number | undefined;
  maxConcurrent?: number | undefined;
  budget?: { usd: number; period: BudgetPeriod } | undefined;
}

/** A key of the config's `keys:` (structurally the config's KeyConfig; policy does not import config). */
export interface StaticKeySpec extends ConfigLimits {
  name: string;
  key: string;
  models: string[];
  team?: string | undefined;
  /** ISO 8601 instant. */
  expiresAt?: string | undefined;
}

/** A team of the config's `teams:`. */
export interface StaticTeamSpec extends ConfigLimits {
  name: string;
  models: string[];
}

export const STATIC_KEY_ID_PREFIX = 'static:';

export function staticKeyId(name: string): string {
  return `${STATIC_KEY_ID_PREFIX}${name}`;
}

/** USD (a config or admin API figure) → integer micro-USD. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function limitRulesFromConfig(limits: ConfigLimits): LimitRules {
  const rules: LimitRules = {};
  if (limits.rpm !== undefined) rules.rpm = limits.rpm;
  if (limits.tpm !== undefined) rules.tpm = limits.tpm;
  if (limits.maxConcurrent !== undefined) rules.maxConcurrent = limits.maxConcurrent;
  if (limits.budget !== undefined)
    rules.budget = { micros: usdToMicros(limits.budget.usd), period: limits.budget.period };
  return rules;
}

export function limitRulesFromStored(limits: StoredLimits): LimitRules {
  const rules: LimitRules = {};
  if (limits.rpm !== null) rules.rpm = limits.rpm;
  if (limits.tpm !== null) rules.tpm = limits.tpm;
  if (limits.maxConcurrent !== null) rules.maxConcurrent = limits.maxConcurrent;
  if (limits.budgetMicros !== null)
    rules.budget = { micros: limits.budgetMicros, period: limits.budgetPeriod ?? 'month' };
  return rules;
}

export function teamFromConfig(team: StaticTeamSpec): TeamEntry {
  return { name: team.name, models: [...team.models], limits: limitRulesFromConfig(team) };
}

export function staticKeyEntry(key: StaticKeySpec, team: TeamEntry | undefined): ApiKeyEntry {
  return {
    id: staticKeyId(key.name),
    name: key.name,
    models: [...key.models],
    team,
    limits: limitRulesFromConfig(key),
    expiresAt: key.expiresAt === undefined ? undefined : Date.parse(key.expiresAt),
    managed: false,
  };
}

export function managedKeyEntry(
  record: { id: string; name: string; models: string[]; expiresAt: number | null } & StoredLimits,
  team: TeamEntry | undefined,
): ApiKeyEntry {
  return {
    id: record.id,
    name: record.name,
    models: [...record.models],
    team,
    limits: limitRulesFromStored(record),
    expiresAt: record.expiresAt ?? undefined,
    managed: true,
  };
}
