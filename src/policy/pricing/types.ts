import type { Usage } from '../../core/types.ts';

/** Which deployment served (or may serve) a request: what a price is looked up by. */
export interface PricedTarget {
  publicModel: string;
  /** Provider name from the config. */
  providerName: string;
  /** Provider type (openai, anthropic, gemini, azure, openai-compatible, simulator). */
  providerType: string;
  /** Upstream model name, wildcards already substituted. */
  upstreamModel: string;
}

/** A deployment's price, resolved once (bundled table or a `pricing.models` override). */
export interface ModelPrice {
  /** Where it came from, for logs and the admin API: `config` or `genai-prices:<provider>/<model>`. */
  source: string;
  /** What the usage cost, in micro-USD (an integer, rounded up). */
  cost(usage: Usage): number;
  /** The most `inputTokens` in and `outputTokens` out could cost (highest tier rates), micro-USD rounded up. */
  worstCase(inputTokens: number, outputTokens: number): number;
  /** A comparable figure for the router's `cost` strategy: USD per 1M input + output tokens at base rates. */
  blendedPerMillion: number;
  /** The base rates, USD per 1M tokens (the console's price list). */
  listed: ListedRates;
}

export interface ListedRates {
  input: number;
  output: number;
  /** Cache reads; null when the table gives no separate rate. */
  cachedInput: number | null;
}

export interface PriceBook {
  /** Memoised per target; undefined when neither the table nor the config prices it. */
  priceFor(target: PricedTarget): ModelPrice | undefined;
}
