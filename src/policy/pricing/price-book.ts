import { type BundledModel, bundledPrice, findBundledModel } from './bundled.ts';
import { findOverride, overridePrice, type PriceOverrideRule } from './override-price.ts';
import type { ModelPrice, PriceBook, PricedTarget } from './types.ts';

/** The `pricing:` config section as far as prices go (config `PricingConfig` fits it). */
export interface PricingRules {
  models: readonly PriceOverrideRule[];
}

export interface PriceBookOptions {
  /** Epoch ms; conditional prices (start dates, off-peak hours) are chosen at this time. */
  now?: () => number;
  /** The bundled-table lookup (tests count its calls). */
  findBundled?: (providerType: string, upstreamModel: string) => BundledModel | undefined;
}

/**
 * Bounds the memo: with wildcard deployments the upstream names come from clients, so an unbounded
 * map would grow with every name a client invents. The oldest entry goes first.
 */
const MAX_REMEMBERED_TARGETS = 10_000;

export function createPriceBook(pricing: PricingRules, options: PriceBookOptions = {}): PriceBook {
  const now = options.now ?? Date.now;
  const findBundled = options.findBundled ?? findBundledModel;
  const byTarget = new Map<string, ModelPrice | null>();
  const byUpstream = new Map<string, ModelPrice | null>();

  const bundledFor = (target: PricedTarget): ModelPrice | null => {
    const key = `${target.providerType}\u0000${target.upstreamModel}`;
    let price = byUpstream.get(key);
    if (price === undefined) {
      const found = findBundled(target.providerType, target.upstreamModel);
      price = (found && bundledPrice(found, target.upstreamModel, now)) ?? null;
      remember(byUpstream, key, price);
    }
    return price;
  };

  return {
    priceFor(target) {
      const key = `${target.providerName}\u0000${target.upstreamModel}\u0000${target.publicModel}`;
      let price = byTarget.get(key);
      if (price === undefined) {
        const rule = findOverride(pricing.models, target);
        price = rule ? overridePrice(rule) : bundledFor(target);
        remember(byTarget, key, price);
      }
      return price ?? undefined;
    },
  };
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_REMEMBERED_TARGETS) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
