import { randomUUID } from 'node:crypto';
import type { MemoryRouterState } from './memory-router-state.ts';
import type { AttemptOutcome, CircuitChange, DeploymentSnapshot, RouterState } from './router-state.ts';

/** The part of the store's ChangeBus this needs (routing does not import store). */
export interface CooldownBus {
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, handler: (message: string) => void): Promise<void>;
}

export const COOLDOWN_TOPIC = 'llmux:cooldowns';

/** What a replica publishes when one of its circuits opens. */
export interface CooldownNotice {
  replica: string;
  deploymentId: string;
  /** Epoch ms the cooldown ends (replica clocks are assumed NTP-close). */
  until: number;
}

export interface SharedCooldownsOptions {
  bus: CooldownBus;
  /** Tells this process's notices from the others' (which the bus delivers too). Default: a random UUID. */
  replicaId?: string;
  /** Epoch ms clock (tests). */
  now?: () => number;
  /** A notice that could not be published or read. Routing goes on with local state only. */
  onError?: (error: unknown) => void;
  /** A cooldown another replica reported took effect here (for the log). */
  onRemoteOpen?: (deploymentId: string, until: number) => void;
}

/**
 * Shares cooldowns between replicas: a circuit that opens here is announced on the bus, and an
 * announcement from another replica opens the circuit here until the same time. Only openings
 * travel. A closing does not: once the cooldown ends each replica sends its own half-open probe,
 * so a replica that reaches the upstream differently decides for itself, and a late "closed"
 * notice can never cancel a cooldown that fresh failures have just started elsewhere.
 *
 * Snapshots stay in memory: nothing here adds a round trip to a request. One instance per process,
 * made at start (it subscribes once); each runtime's state is wrapped with `wrap` as it is built,
 * and notices apply to the state wrapped last (a reload's state inherits the records of the
 * deployments that stayed, so the runtimes still finishing requests see the same circuits).
 */
export class SharedCooldowns {
  readonly replicaId: string;
  private current: MemoryRouterState | undefined;

  private constructor(private readonly options: SharedCooldownsOptions) {
    this.replicaId = options.replicaId ?? randomUUID();
  }

  static async start(options: SharedCooldownsOptions): Promise<SharedCooldowns> {
    const shared = new SharedCooldowns(options);
    await options.bus.subscribe(COOLDOWN_TOPIC, (message) => shared.receive(message));
    return shared;
  }

  /** The RouterState a runtime's Router uses; from now on, notices from other replicas apply to `state`. */
  wrap(state: MemoryRouterState): RouterState {
    this.current = state;
    return new SharedCooldownState(state, (change, deploymentId) => this.announce(deploymentId, change.until));
  }

  private announce(deploymentId: string, until: number): void {
    const notice: CooldownNotice = { replica: this.replicaId, deploymentId, until };
    try {
      this.options.bus.publish(COOLDOWN_TOPIC, JSON.stringify(notice)).catch((error) => this.options.onError?.(error));
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private receive(message: string): void {
    const notice = parseNotice(message);
    if (!notice) {
      this.options.onError?.(new Error(`unreadable cooldown notice: ${message.slice(0, 200)}`));
      return;
    }
    if (notice.replica === this.replicaId || !this.current) return;
    const now = (this.options.now ?? Date.now)();
    if (this.current.openUntil(notice.deploymentId, notice.until, now))
      this.options.onRemoteOpen?.(notice.deploymentId, notice.until);
  }
}

type OpenedChange = Extract<CircuitChange, { kind: 'opened' }>;

/** MemoryRouterState that reports its circuit openings. */
class SharedCooldownState implements RouterState {
  constructor(
    private readonly inner: MemoryRouterState,
    private readonly opened: (change: OpenedChange, deploymentId: string) => void,
  ) {}

  snapshot(deploymentIds: readonly string[], now: number): DeploymentSnapshot[] {
    return this.inner.snapshot(deploymentIds, now);
  }

  claimProbe(deploymentId: string, now: number, leaseMs: number): boolean {
    return this.inner.claimProbe(deploymentId, now, leaseMs);
  }

  attemptStarted(deploymentId: string): void {
    this.inner.attemptStarted(deploymentId);
  }

  attemptFinished(deploymentId: string, outcome: AttemptOutcome, now: number, probe: boolean): CircuitChange {
    return this.report(deploymentId, this.inner.attemptFinished(deploymentId, outcome, now, probe));
  }

  settleProbe(deploymentId: string, outcome: AttemptOutcome, now: number): CircuitChange {
    return this.report(deploymentId, this.inner.settleProbe(deploymentId, outcome, now));
  }

  private report(deploymentId: string, change: CircuitChange): CircuitChange {
    if (change?.kind === 'opened') this.opened(change, deploymentId);
    return change;
  }
}

function parseNotice(message: string): CooldownNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { replica, deploymentId, until } = value as Record<string, unknown>;
  if (typeof replica !== 'string' || typeof deploymentId !== 'string') return undefined;
  if (typeof until !== 'number' || !Number.isFinite(until)) return undefined;
  return { replica, deploymentId, until };
}
