import type { LimitRules } from './limits/types.ts';

export interface TeamEntry {
  name: string;
  /** The team's allow-list; a key in the team may use a model only when both lists allow it. */
  models: string[];
  limits: LimitRules;
}

/** An authenticated key as the request path sees it (static from the config, or managed). */
export interface ApiKeyEntry {
  /** Managed keys: `key_…`; static keys: `static:<name>`. */
  id: string;
  name: string;
  /** Allow-list of public model names or patterns with "*". */
  models: string[];
  team: TeamEntry | undefined;
  limits: LimitRules;
  /** Epoch ms after which the key is refused; undefined = never. */
  expiresAt: number | undefined;
  managed: boolean;
}

/** Where llmux looks up the keys its clients present. */
export interface KeyStore {
  /** The key's entry, or undefined when the key is absent, unknown, revoked or expired. */
  authenticate(presented: string | undefined): Promise<ApiKeyEntry | undefined>;
}
