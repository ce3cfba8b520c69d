import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ApiKeysTable, TeamsTable } from './database.ts';
import type {
  BudgetPeriodName,
  JsonObjectValue,
  ManagedKeyPatch,
  ManagedKeyRecord,
  ManagedTeamPatch,
  ManagedTeamRecord,
  StoredLimits,
} from './types.ts';

type LimitRow = Pick<ApiKeysTable, 'rpm' | 'tpm' | 'max_concurrent' | 'budget_micros' | 'budget_period'>;

export function toApiKeyRow(key: ManagedKeyRecord): Insertable<ApiKeysTable> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    hash: key.hash,
    team: key.team,
    models: JSON.stringify(key.models),
    ...toLimitRow(key),
    expires_at: key.expiresAt,
    metadata: toJsonText(key.metadata),
    created_at: key.createdAt,
    updated_at: key.updatedAt,
    revoked_at: key.revokedAt,
  };
}

export function fromApiKeyRow(row: Selectable<ApiKeysTable>): ManagedKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    hash: row.hash,
    team: row.team,
    models: fromModelsText(row.models),
    ...fromLimitRow(row),
    expiresAt: toNumberOrNull(row.expires_at),
    metadata: fromJsonText(row.metadata),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    revokedAt: toNumberOrNull(row.revoked_at),
  };
}

export function toTeamRow(team: ManagedTeamRecord): Insertable<TeamsTable> {
  return {
    name: team.name,
    models: JSON.stringify(team.models),
    ...toLimitRow(team),
    metadata: toJsonText(team.metadata),
    created_at: team.createdAt,
    updated_at: team.updatedAt,
  };
}

export function fromTeamRow(row: Selectable<TeamsTable>): ManagedTeamRecord {
  return {
    name: row.name,
    models: fromModelsText(row.models),
    ...fromLimitRow(row),
    metadata: fromJsonText(row.metadata),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The columns a key patch sets; fields the patch leaves out (or sets to undefined) are kept. */
export function toApiKeyUpdate(patch: ManagedKeyPatch, now: number): Updateable<ApiKeysTable> {
  const update: Updateable<ApiKeysTable> = { ...toLimitUpdate(patch), updated_at: now };
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.prefix !== undefined) update.prefix = patch.prefix;
  if (patch.hash !== undefined) update.hash = patch.hash;
  if (patch.team !== undefined) update.team = patch.team;
  if (patch.models !== undefined) update.models = JSON.stringify(patch.models);
  if (patch.expiresAt !== undefined) update.expires_at = patch.expiresAt;
  if (patch.metadata !== undefined) update.metadata = toJsonText(patch.metadata);
  return update;
}

export function toTeamUpdate(patch: ManagedTeamPatch, now: number): Updateable<TeamsTable> {
  const update: Updateable<TeamsTable> = { ...toLimitUpdate(patch), updated_at: now };
  if (patch.models !== undefined) update.models = JSON.stringify(patch.models);
  if (patch.metadata !== undefined) update.metadata = toJsonText(patch.metadata);
  return update;
}

function toLimitRow(limits: StoredLimits): LimitRow {
  return {
    rpm: limits.rpm,
    tpm: limits.tpm,
    max_concurrent: limits.maxConcurrent,
    budget_micros: limits.budgetMicros,
    budget_period: limits.budgetPeriod,
  };
}

function toLimitUpdate(patch: Partial<StoredLimits>): Partial<LimitRow> {
  const update: Partial<LimitRow> = {};
  if (patch.rpm !== undefined) update.rpm = patch.rpm;
  if (patch.tpm !== undefined) update.tpm = patch.tpm;
  if (patch.maxConcurrent !== undefined) update.max_concurrent = patch.maxConcurrent;
  if (patch.budgetMicros !== undefined) update.budget_micros = patch.budgetMicros;
  if (patch.budgetPeriod !== undefined) update.budget_period = patch.budgetPeriod;
  return update;
}

function fromLimitRow(row: LimitRow): StoredLimits {
  return {
    rpm: toNumberOrNull(row.rpm),
    tpm: toNumberOrNull(row.tpm),
    maxConcurrent: toNumberOrNull(row.max_concurrent),
    budgetMicros: toNumberOrNull(row.budget_micros),
    budgetPeriod: row.budget_period as BudgetPeriodName | null,
  };
}

function toJsonText(value: JsonObjectValue | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

function fromJsonText(text: string | null): JsonObjectValue | null {
  return text === null ? null : (JSON.parse(text) as JsonObjectValue);
}

function fromModelsText(text: string): string[] {
  return JSON.parse(text) as string[];
}

/** Postgres bigints arrive as numbers through the store's pool parser; Number() keeps any driver honest. */
function toNumberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
