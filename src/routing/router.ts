import { type Candidate, type Plan, planDeployments } from './planner.ts';
import type { AttemptOutcome, CircuitChange, DeploymentSnapshot, RouterState } from './router-state.ts';
import type { StrategyContext } from './strategies.ts';
import type { Deployment, PublicModel } from './types.ts';

export interface RouterOptions {
  random?: () => number;
  /** Epoch ms clock (tests). */
  now?: () => number;
  /** latency strategy: chance of exploring a random deployment. Default 0.05. */
  explorationRate?: number;
  /** cost strategy: price lookup, once pricing exists. */
  priceOf?: StrategyContext['priceOf'];
  /** Called when a deployment starts or ends a cooldown. */
  onCircuitChange?: (deployment: Deployment, change: NonNullable<CircuitChange>) => void;
  /** Called when the state store fails; routing then goes on without it. */
  onStateError?: (error: unknown) => void;
}

/**
 * The router: plans attempts from the shared state and feeds outcomes back to it. The state is
 * advisory: when it fails (a shared store unreachable), requests are still routed, as if every
 * deployment were healthy and idle.
 */
export class Router {
  private readonly context: StrategyContext;
  readonly now: () => number;

  constructor(
    private readonly state: RouterState,
    private readonly options: RouterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.context = { random: options.random ?? Math.random, explorationRate: options.explorationRate ?? 0.05 };
    if (options.priceOf) this.context.priceOf = options.priceOf;
  }

  async plan(model: PublicModel): Promise<Plan> {
    const now = this.now();
    const ids = model.deployments.map((deployment) => deployment.id);
    const snapshots = await this.guard(
      () => this.state.snapshot(ids, now),
      () => ids.map((id) => idleSnapshot(id)),
    );
    return planDeployments(model, snapshots, this.context);
  }

  /** Takes a candidate for an attempt: always granted when closed; half-open only to the one probe. */
  async claim(candidate: Candidate, leaseMs: number): Promise<boolean> {
    if (!candidate.probe) return true;
    return this.guard(
      () => this.state.claimProbe(candidate.deployment.id, this.now(), leaseMs),
      () => false,
    );
  }

  async attemptStarted(deployment: Deployment): Promise<void> {
    await this.guard(
      () => this.state.attemptStarted(deployment.id),
      () => undefined,
    );
  }

  async attemptFinished(deployment: Deployment, outcome: AttemptOutcome, probe: boolean): Promise<void> {
    const change = await this.guard(
      () => this.state.attemptFinished(deployment.id, outcome, this.now(), probe),
      () => undefined,
    );
    if (change) this.options.onCircuitChange?.(deployment, change);
  }

  /** The probe's attempt is going well (its response started): close the circuit now. */
  async probeSucceeded(deployment: Deployment): Promise<void> {
    const change = await this.guard(
      () => this.state.settleProbe(deployment.id, { kind: 'success', firstByteMs: undefined }, this.now()),
      () => undefined,
    );
    if (change) this.options.onCircuitChange?.(deployment, change);
  }

  /** The live state of the given deployments (the console); idle and closed when the state is unreachable. */
  async inspect(deploymentIds: readonly string[]): Promise<DeploymentSnapshot[]> {
    return this.guard(
      () => this.state.snapshot(deploymentIds, this.now()),
      () => deploymentIds.map((id) => idleSnapshot(id)),
    );
  }

  /** How many of the given deployments take traffic now (circuit not open); all of them when the state is unreachable. */
  async usableCount(deploymentIds: readonly string[]): Promise<number> {
    const snapshots = await this.guard(
      () => this.state.snapshot(deploymentIds, this.now()),
      () => undefined,
    );
    if (snapshots === undefined) return deploymentIds.length;
    return snapshots.filter((snapshot) => snapshot.circuit.state !== 'open').length;
  }

  private async guard<T>(action: () => T | Promise<T>, fallback: () => T): Promise<T> {
    try {
      return await action();
    } catch (error) {
      this.options.onStateError?.(error);
      return fallback();
    }
  }
}

function idleSnapshot(id: string): DeploymentSnapshot {
  return {
    id,
    inFlight: 0,
    latency: undefined,
    circuit: { state: 'closed', reopensAt: undefined, probeAvailable: false },
  };
}
