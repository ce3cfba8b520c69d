import {
  calcPrice,
  type ModelPrice as GenaiModelPrice,
  type Usage as GenaiUsage,
  type ModelInfo,
  type Provider,
} from '@pydantic/genai-prices';
import { microsUp, tokens, usdToMicros } from './micros.ts';
import { blendedPerMillion, listedRates, type WorstCaseRates, worstCaseRates } from './rates.ts';
import type { ModelPrice } from './types.ts';
import { toCoreGenaiUsage, toGenaiUsage, usageParts } from './usage-mapping.ts';

/** Our provider types → genai-prices provider ids; the others match by model name alone. */
const PROVIDER_IDS: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  azure: 'azure',
};

/** How long the prices in force (start-date and time-of-day conditions) are reused by `worstCase`. */
const ACTIVE_PRICES_TTL_MS = 60_000;

const NO_USAGE: GenaiUsage = { input_tokens: 0, output_tokens: 0 };

export interface BundledModel {
  provider: Provider;
  model: ModelInfo;
}

/** A full table lookup (~50 µs): the model genai-prices prices `upstreamModel` with, or undefined. */
export function findBundledModel(providerType: string, upstreamModel: string): BundledModel | undefined {
  const providerId = PROVIDER_IDS[providerType];
  try {
    const found = calcPrice(NO_USAGE, upstreamModel, providerId === undefined ? undefined : { providerId });
    return found ? { provider: found.provider, model: found.model } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A price computed by genai-prices against a one-model provider (~10 µs a call instead of a full
 * lookup), so tiers (the whole request repriced once its input passes a threshold) and conditional
 * prices (start dates, off-peak hours, at the time of the call) stay genai-prices' own logic.
 */
export function bundledPrice(found: BundledModel, upstreamModel: string, now: () => number): ModelPrice | undefined {
  const name = upstreamModel.toLowerCase().trim();
  const { id, name: providerName, api_pattern } = found.provider;
  const provider: Provider = {
    id,
    name: providerName,
    api_pattern,
    models: [{ ...found.model, match: { equals: name } }],
  };

  const priceAt = (usage: GenaiUsage, at: number) => calcPrice(usage, name, { provider, timestamp: new Date(at) });
  const costAt = (usage: GenaiUsage, at: number): number | undefined => {
    try {
      const result = priceAt(usage, at);
      return result ? usdToMicros(result.total_price) : undefined;
    } catch {
      return undefined;
    }
  };
  const pricesAt = (at: number): GenaiModelPrice | undefined => {
    try {
      return priceAt(NO_USAGE, at)?.model_price;
    } catch {
      return undefined;
    }
  };

  const initial = pricesAt(now());
  if (!initial) return undefined;
  let rates: WorstCaseRates = worstCaseRates(initial);
  let ratesUntil = now() + ACTIVE_PRICES_TTL_MS;
  const currentRates = (): WorstCaseRates => {
    const at = now();
    if (at >= ratesUntil) {
      const prices = pricesAt(at);
      if (prices) rates = worstCaseRates(prices);
      ratesUntil = at + ACTIVE_PRICES_TTL_MS;
    }
    return rates;
  };
  const worstCase = (inputTokens: number, outputTokens: number): number => {
    const { input, output, perRequest } = currentRates();
    return microsUp(tokens(inputTokens) * input + tokens(outputTokens) * output + perRequest);
  };

  return {
    source: `genai-prices:${id}/${found.model.id}`,
    cost(usage) {
      const parts = usageParts(usage);
      const at = now();
      // Audio, reasoning or 1-hour cache counts some models cannot combine → price the core counts.
      return (
        costAt(toGenaiUsage(parts), at) ?? costAt(toCoreGenaiUsage(parts), at) ?? worstCase(parts.input, parts.output)
      );
    },
    worstCase,
    blendedPerMillion: blendedPerMillion(initial),
    listed: listedRates(initial),
  };
}
