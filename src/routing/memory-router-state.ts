import {
  applyOutcome,
  type CircuitRecord,
  claimProbe,
  newCircuitRecord,
  openUntil,
  viewCircuit,
} from './circuit-breaker.ts';
import type {
  AttemptOutcome,
  CircuitChange,
  DeploymentError,
  DeploymentSnapshot,
  LatencyStats,
  RouterState,
} from './router-state.ts';
import type { CooldownPolicy } from './types.ts';

export interface MemoryRouterStateOptions {
  cooldown: CooldownPolicy;
  /** Weight of the newest time-to-first-byte sample in the moving average (0..1]. Default 0.3. */
  latencyAlpha?: number;
}

interface DeploymentRecord {
  inFlight: number;
  latency: LatencyStats | undefined;
  circuit: CircuitRecord;
  /** The last RECENT_ERRORS failures, oldest first. */
  recentErrors?: DeploymentError[];
}

/** Failures kept per deployment for the console, and the longest message kept. */
export const RECENT_ERRORS = 5;
const RECENT_ERROR_MESSAGE_CHARS = 300;

/** RouterState for a single process. Synchronous underneath; state is lost on restart. */
export class MemoryRouterState implements RouterState {
  private readonly records = new Map<string, DeploymentRecord>();
  private readonly cooldown: CooldownPolicy;
  private readonly alpha: number;

  constructor(options: MemoryRouterStateOptions) {
    this.cooldown = options.cooldown;
    this.alpha = Math.min(1, Math.max(0.01, options.latencyAlpha ?? 0.3));
  }

  snapshot(deploymentIds: readonly string[], now: number): DeploymentSnapshot[] {
    return deploymentIds.map((id) => {
      const record = this.records.get(id);
      if (!record) return { id, inFlight: 0, latency: undefined, circuit: viewCircuit(newCircuitRecord(), now) };
      const snapshot: DeploymentSnapshot = {
        id,
        inFlight: record.inFlight,
        latency: record.latency,
        circuit: viewCircuit(record.circuit, now),
      };
      if (record.recentErrors !== undefined) snapshot.recentErrors = record.recentErrors;
      return snapshot;
    });
  }

  claimProbe(deploymentId: string, now: number, leaseMs: number): boolean {
    return claimProbe(this.recordFor(deploymentId).circuit, now, leaseMs);
  }

  attemptStarted(deploymentId: string): void {
    this.recordFor(deploymentId).inFlight += 1;
  }

  attemptFinished(deploymentId: string, outcome: AttemptOutcome, now: number, probe: boolean): CircuitChange {
    const record = this.recordFor(deploymentId);
    record.inFlight = Math.max(0, record.inFlight - 1);
    if (outcome.kind === 'success' && outcome.firstByteMs !== undefined) {
      const sample = Math.max(0, outcome.firstByteMs);
      const previous = record.latency;
      record.latency = previous
        ? { ewmaMs: this.alpha * sample + (1 - this.alpha) * previous.ewmaMs, samples: previous.samples + 1 }
        : { ewmaMs: sample, samples: 1 };
    }
    if (outcome.kind === 'failure' && outcome.error !== undefined) rememberError(record, outcome.error, now);
    return applyOutcome(record.circuit, this.cooldown, outcome, now, probe);
  }

  settleProbe(deploymentId: string, outcome: AttemptOutcome, now: number): CircuitChange {
    return applyOutcome(this.recordFor(deploymentId).circuit, this.cooldown, outcome, now, true);
  }

  /** Opens the deployment's circuit until `until` (a cooldown another replica reported); see circuit-breaker.ts. */
  openUntil(deploymentId: string, until: number, now: number): boolean {
    return openUntil(this.recordFor(deploymentId).circuit, until, now);
  }

  /**
   * Shares `previous`'s records of these deployments (circuit, latency, in flight) with this state:
   * after a config reload, a deployment that stayed keeps its cooldown and latency, and the
   * requests still running on the old config keep feeding the same record.
   */
  inheritFrom(previous: MemoryRouterState, deploymentIds: Iterable<string>): void {
    for (const id of deploymentIds) {
      const record = previous.records.get(id);
      if (record) this.records.set(id, record);
    }
  }

  private recordFor(id: string): DeploymentRecord {
    let record = this.records.get(id);
    if (!record) {
      record = { inFlight: 0, latency: undefined, circuit: newCircuitRecord() };
      this.records.set(id, record);
    }
    return record;
  }
}

function rememberError(record: DeploymentRecord, error: { code: string; message: string }, now: number): void {
  const errors = record.recentErrors ?? [];
  record.recentErrors = errors;
  const message =
    error.message.length > RECENT_ERROR_MESSAGE_CHARS
      ? `${error.message.slice(0, RECENT_ERROR_MESSAGE_CHARS)}…`
      : error.message;
  errors.push({ at: now, code: error.code, message });
  if (errors.length > RECENT_ERRORS) errors.splice(0, errors.length - RECENT_ERRORS);
}
