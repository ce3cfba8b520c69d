import type { Usage } from '../../core/types.ts';
import { matchesPattern } from '../../routing/catalogue.ts';
import { microsUp, tokens } from './micros.ts';
import type { ModelPrice, PricedTarget } from './types.ts';
import { usageParts } from './usage-mapping.ts';

/** A `pricing.models` entry (config `PriceOverrideSchema`): USD per 1M tokens == µUSD per token. */
export interface PriceOverrideRule {
  /** Public model name, upstream model name or `provider/upstream`, with "*" patterns. */
  model: string;
  input: number;
  output: number;
  /** Cache reads; unset = the input rate. */
  cachedInput?: number | undefined;
  /** Cache writes; unset = the input rate. */
  cacheWrite?: number | undefined;
}

/** The first rule (config order) whose pattern matches the public name, upstream name or `provider/upstream`. */
export function findOverride(rules: readonly PriceOverrideRule[], target: PricedTarget): PriceOverrideRule | undefined {
  const qualified = `${target.providerName}/${target.upstreamModel}`;
  return rules.find(
    (rule) =>
      matchesPattern(rule.model, target.publicModel) ||
      matchesPattern(rule.model, target.upstreamModel) ||
      matchesPattern(rule.model, qualified),
  );
}

export function overridePrice(rule: PriceOverrideRule): ModelPrice {
  const cachedInput = rule.cachedInput ?? rule.input;
  const cacheWrite = rule.cacheWrite ?? rule.input;
  const worstInput = Math.max(rule.input, cacheWrite);
  return {
    source: 'config',
    cost(usage: Usage): number {
      const parts = usageParts(usage);
      const uncached = parts.input - parts.cacheRead - parts.cacheWrite;
      return microsUp(
        uncached * rule.input +
          parts.cacheRead * cachedInput +
          parts.cacheWrite * cacheWrite +
          parts.output * rule.output,
      );
    },
    worstCase(inputTokens: number, outputTokens: number): number {
      return microsUp(tokens(inputTokens) * worstInput + tokens(outputTokens) * rule.output);
    },
    blendedPerMillion: rule.input + rule.output,
    listed: { input: rule.input, output: rule.output, cachedInput },
  };
}
