import { createHash, timingSafeEqual } from 'node:crypto';
import { matchesPattern } from '../routing/catalogue.ts';
import type { ApiKeyEntry, KeyStore } from './key-store.ts';

interface StoredKey extends ApiKeyEntry {
  hash: Buffer;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Static keys from the config, held only as SHA-256 hashes; lookups compare hashes in constant time. */
export class KeyRing implements KeyStore {
  private readonly byHash = new Map<string, StoredKey>();

  constructor(keys: Array<ApiKeyEntry & { key: string }>) {
    for (const { key, name, models } of keys) {
      const hash = sha256(key);
      this.byHash.set(hash.toString('base64'), { name, models, hash });
    }
  }

  async authenticate(presented: string | undefined): Promise<ApiKeyEntry | undefined> {
    if (!presented) return undefined;
    const hash = sha256(presented);
    const found = this.byHash.get(hash.toString('base64'));
    return found && timingSafeEqual(found.hash, hash) ? found : undefined;
  }
}

export function keyAllowsModel(key: ApiKeyEntry, model: string): boolean {
  return key.models.some((pattern) => matchesPattern(pattern, model));
}
