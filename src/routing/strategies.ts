/**
 * Load-balancing strategies. Each one orders the available deployments of ONE priority tier; the
 * planner puts tiers in ascending order, so every strategy respects `priority` (docs/routing.md).
 */
import type { DeploymentSnapshot } from './router-state.ts';
import type { Deployment, StrategyName } from './types.ts';

export interface TierCandidate {
  deployment: Deployment;
  snapshot: DeploymentSnapshot;
  /** Position in the model's deployment list (config order). */
  configIndex: number;
}

export interface StrategyContext {
  random: () => number;
  /** latency: chance that a request explores a random deployment instead of the fastest. */
  explorationRate: number;
  /** cost: price of a deployment for ordering (lower first); undefined = unknown, config order. */
  priceOf?: (deployment: Deployment) => number | undefined;
}

export type TierOrder = (tier: TierCandidate[], context: StrategyContext) => TierCandidate[];

export const STRATEGIES: Record<StrategyName, TierOrder> = {
  weighted: (tier, { random }) => weightedShuffle(tier, random, (c) => c.deployment.weight),
  priority: (tier) => byConfigOrder(tier),
  'least-busy': orderByLeastBusy,
  latency: orderByLatency,
  cost: orderByCost,
};

/** Fewest in-flight requests first; ties broken by weighted random. */
function orderByLeastBusy(tier: TierCandidate[], { random }: StrategyContext): TierCandidate[] {
  const shuffled = weightedShuffle(tier, random, (c) => c.deployment.weight);
  return shuffled.sort((a, b) => a.snapshot.inFlight - b.snapshot.inFlight);
}

/**
 * Lowest moving-average time to first byte first. Deployments without a sample yet go first (so
 * each one gets measured), and with probability `explorationRate` a random other deployment is
 * tried first, so that a deployment that was slow once is measured again later.
 */
function orderByLatency(tier: TierCandidate[], { random, explorationRate }: StrategyContext): TierCandidate[] {
  const shuffled = weightedShuffle(tier, random, (c) => c.deployment.weight);
  const ordered = shuffled.sort((a, b) => latencyKey(a) - latencyKey(b));
  if (ordered.length > 1 && ordered.every((c) => c.snapshot.latency !== undefined) && random() < explorationRate) {
    const explored = 1 + Math.floor(random() * (ordered.length - 1));
    ordered.unshift(...ordered.splice(explored, 1));
  }
  return ordered;
}

function latencyKey(candidate: TierCandidate): number {
  return candidate.snapshot.latency?.ewmaMs ?? Number.NEGATIVE_INFINITY;
}

/** Cheapest first by the price lookup; unknown prices keep config order (after known ones). */
function orderByCost(tier: TierCandidate[], { priceOf }: StrategyContext): TierCandidate[] {
  const ordered = byConfigOrder(tier);
  if (!priceOf) return ordered;
  const price = (c: TierCandidate) => priceOf(c.deployment) ?? Number.POSITIVE_INFINITY;
  return ordered.sort((a, b) => price(a) - price(b) || a.configIndex - b.configIndex);
}

function byConfigOrder(tier: TierCandidate[]): TierCandidate[] {
  return [...tier].sort((a, b) => a.configIndex - b.configIndex);
}

/**
 * Weighted random order without replacement: the first item is picked with probability
 * weight / total, the next among the rest, and so on. Zero weights go last (standby).
 */
export function weightedShuffle<T>(items: readonly T[], random: () => number, weightOf: (item: T) => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, item) => sum + Math.max(0, weightOf(item)), 0);
    let pick = 0;
    if (total > 0) {
      let remaining = random() * total;
      for (let index = 0; index < pool.length; index++) {
        const weight = Math.max(0, weightOf(pool[index] as T));
        if (weight === 0) continue;
        pick = index;
        remaining -= weight;
        if (remaining < 0) break;
      }
    }
    out.push(...pool.splice(pick, 1));
  }
  return out;
}
