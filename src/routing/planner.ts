import type { DeploymentSnapshot } from './router-state.ts';
import { STRATEGIES, type StrategyContext, type TierCandidate } from './strategies.ts';
import type { Deployment, PublicModel } from './types.ts';

/** A deployment that may take the next attempt. */
export interface Candidate {
  deployment: Deployment;
  /** Half-open circuit: the attempt is the probe and must claim it first. */
  probe: boolean;
  snapshot: DeploymentSnapshot;
}

export interface Plan {
  /** Available deployments, best first: priority tiers ascending, each ordered by the strategy. */
  candidates: Candidate[];
  /** Earliest end of a cooldown among the deployments left out (undefined when none is open). */
  reopensAt: number | undefined;
}

/**
 * Orders a model's deployments for the next attempt. Open circuits and half-open ones whose probe
 * is taken are left out; a half-open one with its probe free is a candidate like any other.
 */
export function planDeployments(
  model: PublicModel,
  snapshots: readonly DeploymentSnapshot[],
  context: StrategyContext,
): Plan {
  const tiers = new Map<number, TierCandidate[]>();
  let reopensAt: number | undefined;
  model.deployments.forEach((deployment, configIndex) => {
    const snapshot = snapshots[configIndex];
    if (!snapshot) return;
    const { circuit } = snapshot;
    if (circuit.state === 'open' || (circuit.state === 'half-open' && !circuit.probeAvailable)) {
      if (circuit.reopensAt !== undefined)
        reopensAt = Math.min(reopensAt ?? Number.POSITIVE_INFINITY, circuit.reopensAt);
      return;
    }
    const tier = tiers.get(deployment.priority) ?? [];
    tier.push({ deployment, snapshot, configIndex });
    tiers.set(deployment.priority, tier);
  });
  const order = STRATEGIES[model.strategy];
  const candidates: Candidate[] = [];
  for (const priority of [...tiers.keys()].sort((a, b) => a - b)) {
    for (const { deployment, snapshot } of order(tiers.get(priority) ?? [], context)) {
      candidates.push({ deployment, snapshot, probe: snapshot.circuit.state === 'half-open' });
    }
  }
  return { candidates, reopensAt };
}
