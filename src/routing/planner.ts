import type { Deployment, PublicModel } from './types.ts';

/**
 * Orders a model's deployments for one request. Weighted random without replacement inside each
 * priority tier, tiers in ascending order. (Strategies and cooldowns build on this.)
 */
export function planDeployments(model: PublicModel, random: () => number = Math.random): Deployment[] {
  if (model.deployments.length <= 1) return model.deployments;
  const tiers = new Map<number, Deployment[]>();
  for (const deployment of model.deployments) {
    const tier = tiers.get(deployment.priority) ?? [];
    tier.push(deployment);
    tiers.set(deployment.priority, tier);
  }
  const ordered: Deployment[] = [];
  for (const priority of [...tiers.keys()].sort((a, b) => a - b)) {
    ordered.push(...weightedShuffle(tiers.get(priority) ?? [], random));
  }
  return ordered;
}

export function weightedShuffle<T extends { weight: number }>(items: T[], random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, item) => sum + Math.max(0, item.weight), 0);
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      for (; pick < pool.length - 1; pick++) {
        r -= Math.max(0, pool[pick]?.weight ?? 0);
        if (r < 0) break;
      }
    }
    out.push(...pool.splice(pick, 1));
  }
  return out;
}
