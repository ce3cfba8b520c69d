export interface ApiKeyEntry {
  name: string;
  /** Allow-list of public model names or patterns with "*". */
  models: string[];
}

/** Where llmux looks up the keys its clients present (the config's keys today; a store-backed one next). */
export interface KeyStore {
  /** The key's entry, or undefined when the key is absent or unknown. */
  authenticate(presented: string | undefined): Promise<ApiKeyEntry | undefined>;
}
