import type { ModelPrice as GenaiModelPrice } from '@pydantic/genai-prices';
import type { ListedRates } from './types.ts';

type PriceValue = GenaiModelPrice[string];

/** Price keys whose rate can apply to a prompt token: plain input, and cache writes (dearer than input). */
const INPUT_KEYS = ['input_mtok', 'cache_write_mtok', 'cache_write_5m_mtok', 'cache_write_1h_mtok'] as const;

/** The rate below every tier threshold (USD per unit, i.e. µUSD per token for `_mtok` keys). */
export function baseRate(value: PriceValue): number {
  if (typeof value === 'number') return value;
  return value === undefined ? 0 : value.base;
}

/** The highest rate any tier of the price reaches. */
export function highestRate(value: PriceValue): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  return value.tiers.reduce((highest, tier) => Math.max(highest, tier.price), value.base);
}

export interface WorstCaseRates {
  /** µUSD per input token: the dearest of input and cache-write rates, at the highest tier. */
  input: number;
  /** µUSD per output token at the highest tier. */
  output: number;
  /** µUSD per request (`requests_kcount` is USD per 1,000 requests). */
  perRequest: number;
}

export function worstCaseRates(prices: GenaiModelPrice): WorstCaseRates {
  return {
    input: Math.max(...INPUT_KEYS.map((key) => highestRate(prices[key]))),
    output: highestRate(prices.output_mtok),
    perRequest: highestRate(prices.requests_kcount) * 1000,
  };
}

/** USD per 1M tokens at base rates (genai-prices `_mtok` values are USD per million). */
export function listedRates(prices: GenaiModelPrice): ListedRates {
  return {
    input: baseRate(prices.input_mtok),
    output: baseRate(prices.output_mtok),
    cachedInput: prices.cache_read_mtok === undefined ? null : baseRate(prices.cache_read_mtok),
  };
}

export function blendedPerMillion(prices: GenaiModelPrice): number {
  return baseRate(prices.input_mtok) + baseRate(prices.output_mtok);
}
