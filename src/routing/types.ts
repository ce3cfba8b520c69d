import type { DeploymentCapabilities } from '../providers/types.ts';
import type { UpstreamTimeouts } from '../upstream/types.ts';

export type StrategyName = 'weighted' | 'priority' | 'least-busy' | 'latency' | 'cost';

export interface RetryPolicy {
  /** Upstream tries in all, first one included. */
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** Longest `retry-after` llmux waits for before moving on. */
  maxRetryAfterMs: number;
}

/** When a deployment is taken out of rotation (router.cooldown in the config). */
export interface CooldownPolicy {
  /** Distinct requests that must fail on the deployment within `windowMs` (a 429 opens it at once). */
  failures: number;
  /** …and the share of the deployment's requests in the window they must make up (0..1). */
  failureRate: number;
  /** Sliding window for counting requests; 0 = no time limit. */
  windowMs: number;
  /** How long an open circuit stays open before its half-open probe. */
  cooldownMs: number;
}

export interface Deployment {
  /** Stable id: `${publicModel}#${index}`. */
  id: string;
  providerName: string;
  /** Upstream model; "*" means the part of the public name matched by the wildcard. */
  model: string;
  weight: number;
  priority: number;
  capabilities: DeploymentCapabilities;
  bodyOverrides?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Effective timeouts: router defaults ← provider ← model. */
  timeouts: UpstreamTimeouts;
}

export interface PublicModel {
  name: string;
  strategy: StrategyName;
  deployments: Deployment[];
  fallbacks: string[];
  retry: RetryPolicy;
  timeouts: UpstreamTimeouts;
}

/** A public model resolved for one request name (wildcards filled in). */
export interface ResolvedModel {
  model: PublicModel;
  /** What "*" matched, or undefined for exact names. */
  wildcardMatch: string | undefined;
}
