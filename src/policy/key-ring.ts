import { createHash, timingSafeEqual } from 'node:crypto';
import { matchesPattern } from '../routing/catalogue.ts';
import type { ApiKeyEntry } from './key-store.ts';

/** Hex SHA-256 of a key's secret: the only form in which llmux keeps a key. */
export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

interface RingSlot {
  hash: Buffer;
  entry: ApiKeyEntry;
}

/**
 * Keys by the SHA-256 of their secret. A lookup hashes what was presented, finds the slot by hash
 * and compares the hashes in constant time; nothing here holds a secret.
 */
export class KeyRing {
  private readonly byHash = new Map<string, RingSlot>();

  constructor(keys: Iterable<{ hash: string; entry: ApiKeyEntry }>) {
    for (const { hash, entry } of keys) this.byHash.set(hash, { hash: Buffer.from(hash, 'hex'), entry });
  }

  get size(): number {
    return this.byHash.size;
  }

  find(presented: string): ApiKeyEntry | undefined {
    const hash = createHash('sha256').update(presented).digest();
    const slot = this.byHash.get(hash.toString('hex'));
    return slot !== undefined && timingSafeEqual(slot.hash, hash) ? slot.entry : undefined;
  }
}

/** Both the key's allow-list and, when it has a team, the team's must allow the model. */
export function keyAllowsModel(key: Pick<ApiKeyEntry, 'models' | 'team'>, model: string): boolean {
  const allows = (patterns: readonly string[]) => patterns.some((pattern) => matchesPattern(pattern, model));
  return allows(key.models) && (key.team === undefined || allows(key.team.models));
}
