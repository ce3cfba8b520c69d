/**
 * What the router remembers about deployments between requests: in-flight counts (least-busy),
 * time-to-first-byte statistics (latency) and circuit state (cooldowns). The in-memory version
 * serves one process; a shared (Redis) version can implement the same interface, which is why
 * every method may return a promise and each one is a single atomic operation on the store.
 */

export type Awaitable<T> = T | Promise<T>;

/** closed: serving · open: cooling down, no traffic · half-open: cooldown over, one probe allowed. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitView {
  state: CircuitState;
  /** Open circuits: when the cooldown ends (epoch ms). */
  reopensAt: number | undefined;
  /** Half-open circuits: true when nobody holds the probe. */
  probeAvailable: boolean;
}

export interface LatencyStats {
  /** Exponentially weighted moving average of time to first byte, ms. */
  ewmaMs: number;
  samples: number;
}

export interface DeploymentSnapshot {
  id: string;
  inFlight: number;
  latency: LatencyStats | undefined;
  circuit: CircuitView;
  /** The last few failures of the deployment, oldest first (the console); absent when none is kept. */
  recentErrors?: readonly DeploymentError[];
}

/** A failure of a deployment as the console lists it. */
export interface DeploymentError {
  /** Epoch ms. */
  at: number;
  code: string;
  message: string;
}

/** How one attempt on a deployment ended, as far as the deployment's health is concerned. */
export type AttemptOutcome =
  /** The deployment answered (also an answer the client gets as a 4xx). `firstByteMs` feeds latency. */
  | { kind: 'success'; firstByteMs: number | undefined }
  /**
   * A failure of the deployment: connection error, timeout, 408/409/429/5xx, a broken body or
   * stream, the provider key rejected. `repeated`: this request already failed on this deployment
   * (a retry there), so it is not counted again: one request counts at most once.
   * `credentialsRejected`: the upstream refused the provider key; the circuit opens at once.
   */
  | {
      kind: 'failure';
      rateLimited: boolean;
      retryAfterMs: number | undefined;
      repeated: boolean;
      credentialsRejected: boolean;
      /** What went wrong, for the deployment's recent errors. */
      error?: { code: string; message: string };
    }
  /** Says nothing about the deployment (the client went away, an internal error). */
  | { kind: 'neutral' };

/** A circuit transition caused by an outcome (for logs and metrics). */
export type CircuitChange = { kind: 'opened'; until: number } | { kind: 'closed' } | undefined;

export interface RouterState {
  /** Current view of the given deployments, in the same order. */
  snapshot(deploymentIds: readonly string[], now: number): Awaitable<DeploymentSnapshot[]>;
  /**
   * Claims the single probe of a half-open circuit. True for exactly one caller until the claim is
   * released by `attemptFinished(…, probe = true)` or its lease runs out (a crashed holder).
   */
  claimProbe(deploymentId: string, now: number, leaseMs: number): Awaitable<boolean>;
  /** Counts an attempt in flight. */
  attemptStarted(deploymentId: string): Awaitable<void>;
  /** Ends an attempt: in-flight count, latency sample, circuit transition; `probe` releases the probe. */
  attemptFinished(deploymentId: string, outcome: AttemptOutcome, now: number, probe: boolean): Awaitable<CircuitChange>;
  /**
   * Settles a held probe before its attempt ends (a stream that started well closes the circuit at
   * once rather than after the whole stream). The attempt then ends with `probe = false`.
   */
  settleProbe(deploymentId: string, outcome: AttemptOutcome, now: number): Awaitable<CircuitChange>;
}
