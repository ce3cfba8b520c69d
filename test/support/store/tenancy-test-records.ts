import type { ManagedKeyRecord, ManagedTeamRecord } from '../../../src/store/types.ts';

export const TENANCY_EPOCH = 1_760_000_000_000;

/** A managed key with every field set; `index` makes id, hash and creation time distinct. */
export function makeManagedKey(index: number, overrides: Partial<ManagedKeyRecord> = {}): ManagedKeyRecord {
  const suffix = index.toString().padStart(4, '0');
  return {
    id: `key_${suffix}`,
    name: `key ${suffix}`,
    prefix: `sk-llmux-${suffix.slice(0, 3)}`,
    hash: index.toString(16).padStart(64, 'a'),
    team: 'research',
    models: ['gpt-*', 'demo'],
    rpm: 60,
    tpm: 100_000,
    maxConcurrent: 8,
    budgetMicros: 25_000_000,
    budgetPeriod: 'month',
    expiresAt: null,
    metadata: { owner: `user-${index}` },
    createdAt: TENANCY_EPOCH + index,
    updatedAt: TENANCY_EPOCH + index,
    revokedAt: null,
    ...overrides,
  };
}

export function makeManagedTeam(
  name: string,
  index: number,
  overrides: Partial<ManagedTeamRecord> = {},
): ManagedTeamRecord {
  return {
    name,
    models: ['*'],
    rpm: 600,
    tpm: 2_000_000,
    maxConcurrent: null,
    budgetMicros: 500_000_000,
    budgetPeriod: 'month',
    metadata: null,
    createdAt: TENANCY_EPOCH + index,
    updatedAt: TENANCY_EPOCH + index,
    ...overrides,
  };
}
