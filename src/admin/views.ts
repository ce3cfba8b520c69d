import { limitRulesFromStored } from '../policy/key-entries.ts';
import type { ApiKeyEntry, TeamEntry } from '../policy/key-store.ts';
import type { BudgetStatus, LimitRules } from '../policy/limits/types.ts';
import type { ManagedKeyRecord, ManagedTeamRecord, StoredLimits } from '../store/types.ts';

/** Integer micro-USD → USD (exact for every figure llmux counts: a double holds it to the micro). */
export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}

export const isoTime = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

function limitsView(rules: LimitRules) {
  return {
    rpm: rules.rpm ?? null,
    tpm: rules.tpm ?? null,
    maxConcurrent: rules.maxConcurrent ?? null,
    budget: rules.budget === undefined ? null : { usd: microsToUsd(rules.budget.micros), period: rules.budget.period },
  };
}

/** A managed key as the admin API shows it: never the secret nor its hash. */
export function managedKeyView(record: ManagedKeyRecord, now: number) {
  return {
    id: record.id,
    object: 'key',
    name: record.name,
    prefix: record.prefix,
    static: false,
    team: record.team,
    models: record.models,
    ...limitsView(limitRulesFromStored(record)),
    expiresAt: isoTime(record.expiresAt),
    expired: record.expiresAt !== null && record.expiresAt <= now,
    revoked: record.revokedAt !== null,
    metadata: record.metadata,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    revokedAt: isoTime(record.revokedAt),
  };
}

/** A key of the config: read-only here (edit the config and reload). */
export function staticKeyView(entry: ApiKeyEntry, now: number) {
  return {
    id: entry.id,
    object: 'key',
    name: entry.name,
    prefix: null,
    static: true,
    team: entry.team?.name ?? null,
    models: entry.models,
    ...limitsView(entry.limits),
    expiresAt: isoTime(entry.expiresAt),
    expired: entry.expiresAt !== undefined && entry.expiresAt <= now,
    revoked: false,
    metadata: null,
    createdAt: null,
    updatedAt: null,
    revokedAt: null,
  };
}

export function managedTeamView(record: ManagedTeamRecord) {
  return {
    name: record.name,
    object: 'team',
    static: false,
    models: record.models,
    ...limitsView(limitRulesFromStored(record as StoredLimits)),
    metadata: record.metadata,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
  };
}

export function staticTeamView(team: TeamEntry) {
  return {
    name: team.name,
    object: 'team',
    static: true,
    models: team.models,
    ...limitsView(team.limits),
    metadata: null,
    createdAt: null,
    updatedAt: null,
  };
}

/** A budget this period: what is spent, held by requests in flight, and left. */
export function budgetStatusView(status: BudgetStatus, period: string) {
  return {
    period,
    limitUsd: microsToUsd(status.limitMicros),
    spentUsd: microsToUsd(status.spentMicros),
    reservedUsd: microsToUsd(status.reservedMicros),
    remainingUsd: microsToUsd(Math.max(0, status.limitMicros - status.spentMicros - status.reservedMicros)),
    periodStart: isoTime(status.periodStart),
    resetsAt: isoTime(status.resetsAt),
  };
}

/** One page of a list (OpenAI's list shape, with the total). */
export function listView<T>(data: T[], total: number, offset: number) {
  return { object: 'list', data, total, has_more: offset + data.length < total };
}
