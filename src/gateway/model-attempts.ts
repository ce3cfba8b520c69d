/**
 * The retry loop for one public model: up to `retry.attempts` upstream tries over its deployments.
 * A retry goes to a deployment that has not failed for this request when there is one, at once;
 * only a retry on a deployment that already failed waits (retry hint or backoff). Everything
 * happens before the first byte reached the client; after it, a failure is the stream's end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../core/errors.ts';
import type { ChatRequest } from '../core/types.ts';
import type { OpenAIChatRequest } from '../protocols/openai-chat.ts';
import type { Candidate, Plan } from '../routing/planner.ts';
import { decideAfterFailure, retryDelayMs, retryHintMs } from '../routing/retry-policy.ts';
import type { Router } from '../routing/router.ts';
import type { AttemptOutcome } from '../routing/router-state.ts';
import type { ResolvedModel, RetryPolicy } from '../routing/types.ts';
import { runAttempt } from './attempt.ts';
import { healthOutcome } from './attempt-outcome.ts';
import type { ClientResponse } from './client-response.ts';
import { toDeploymentTarget } from './deployment-target.ts';
import { shuttingDownError } from './shutdown-cutoff.ts';
import type { SurfaceRenderer } from './translated.ts';
import type { ProviderRuntime, RequestOutcome } from './types.ts';

/** One client request on its way through models and deployments. */
export interface RequestRun {
  router: Router;
  providers: ReadonlyMap<string, ProviderRuntime>;
  /** Aborted when the client leaves or the shutdown grace period ends. */
  signal: AbortSignal;
  /** True when `signal` was aborted by the shutdown, not by the client. */
  cutByShutdown(): boolean;
  outcome: RequestOutcome;
  body: OpenAIChatRequest;
  client: ClientResponse;
  surface: SurfaceRenderer;
  canonical: () => ChatRequest;
  /** Upstream attempts so far, all models together. */
  attempts: number;
  /** Public models tried so far, in order (`x-llmux-fallback`). */
  triedModels: string[];
}

export type ModelResult =
  | { kind: 'served' }
  /** This model cannot answer: the fallback models may. */
  | { kind: 'exhausted'; lastError: GatewayError | undefined; reopensAt: number | undefined };

/** Probe claims held longer than this are considered abandoned when the deployment has no total timeout. */
const DEFAULT_PROBE_LEASE_MS = 600_000;

export async function tryModel(run: RequestRun, resolved: ResolvedModel): Promise<ModelResult> {
  const model = resolved.model;
  const policy = model.retry;
  const failed = new Set<string>();
  let lastError: GatewayError | undefined;
  let retriesOnFailed = 0;
  let lostClaims = 0;
  let plan: Plan = { candidates: [], reopensAt: undefined };
  for (let tries = 0; tries < policy.attempts; ) {
    throwIfAborted(run);
    plan = await run.router.plan(model);
    let pick = choose(plan, failed);
    if (!pick.fresh) {
      if (lastError === undefined) break;
      const waitMs = waitBeforeRetry(
        policy,
        ++retriesOnFailed,
        lastError,
        pick.candidate,
        plan.reopensAt,
        run.router.now(),
      );
      if (waitMs === undefined) break;
      await pause(waitMs, run);
      plan = await run.router.plan(model);
      pick = choose(plan, failed);
    }
    const candidate = pick.candidate;
    if (!candidate) break;
    const runtime = run.providers.get(candidate.deployment.providerName);
    if (!runtime)
      throw new GatewayError('internal_error', `provider ${candidate.deployment.providerName} is not configured`);
    const leaseMs = candidate.deployment.timeouts.totalMs || DEFAULT_PROBE_LEASE_MS;
    if (!(await run.router.claim(candidate, leaseMs))) {
      // Another request took the probe between plan and claim: plan again (bounded).
      if (++lostClaims > model.deployments.length * 2) break;
      continue;
    }
    tries++;
    const repeated = failed.has(candidate.deployment.id);
    const error = await attemptOn(run, runtime, resolved, candidate, policy, repeated);
    if (error === undefined) return { kind: 'served' };
    const decision = decideAfterFailure(error);
    if (decision === 'final' || run.client.started) throw error;
    lastError = error;
    if (decision === 'fallback') return { kind: 'exhausted', lastError, reopensAt: undefined };
    failed.add(candidate.deployment.id);
  }
  return { kind: 'exhausted', lastError, reopensAt: plan.reopensAt };
}

/** Prefers a deployment that has not failed for this request; else the best one that did. */
function choose(plan: Plan, failed: ReadonlySet<string>): { candidate: Candidate | undefined; fresh: boolean } {
  const fresh = plan.candidates.find((candidate) => !failed.has(candidate.deployment.id));
  return fresh ? { candidate: fresh, fresh: true } : { candidate: plan.candidates[0], fresh: false };
}

/**
 * How long to wait before retrying on deployments that already failed; undefined = give up on
 * this model. When every deployment is cooling down, waiting is worth it only if one comes back
 * within the delay the upstream asked for (or the backoff).
 */
function waitBeforeRetry(
  policy: RetryPolicy,
  retry: number,
  lastError: GatewayError,
  candidate: Candidate | undefined,
  reopensAt: number | undefined,
  now: number,
): number | undefined {
  const delay = retryDelayMs(policy, retry, retryHintMs(lastError));
  if (candidate) return delay;
  if (reopensAt === undefined || reopensAt - now > delay) return undefined;
  return Math.max(delay, reopensAt - now + 2);
}

/**
 * One upstream attempt on a candidate; undefined when it served the client. `repeated`: this
 * request already failed on the deployment (its breaker counts one failure per request).
 */
async function attemptOn(
  run: RequestRun,
  runtime: ProviderRuntime,
  resolved: ResolvedModel,
  candidate: Candidate,
  policy: RetryPolicy,
  repeated: boolean,
): Promise<GatewayError | undefined> {
  const { deployment } = candidate;
  const target = toDeploymentTarget(runtime, deployment, resolved);
  run.attempts++;
  Object.assign(run.outcome, { provider: runtime.name, upstreamModel: target.model, attempts: run.attempts });
  const fallbackModels = run.triedModels.length > 1 ? [...run.triedModels] : [];
  await run.router.attemptStarted(deployment);
  const startedAt = performance.now();
  let outcome: AttemptOutcome = { kind: 'neutral' };
  // A probe whose response starts has shown the deployment works: settle it then, so that a long
  // stream does not keep the deployment half-open (and without traffic) until it ends.
  let holdsProbe = candidate.probe;
  if (holdsProbe) {
    run.client.onCommit = () => {
      holdsProbe = false;
      void run.router.probeSucceeded(deployment);
    };
  }
  try {
    const result = await runAttempt({
      runtime,
      target,
      timeouts: deployment.timeouts,
      signal: run.signal,
      client: run.client,
      clientBody: run.body,
      canonical: run.canonical,
      surface: run.surface,
      servedBy: { provider: runtime.name, model: target.model, attempts: run.attempts, fallbackModels },
    });
    run.outcome.usage = result.usage;
    if (result.streamError && run.cutByShutdown()) {
      run.client.end(run.surface.renderStreamError(shuttingDownError()));
      run.outcome.errorCode = 'shutting_down';
    } else if (result.streamError) {
      run.outcome.errorCode = result.streamError.code;
      outcome = healthOutcome(result.streamError, policy, repeated);
    } else {
      const firstByteAt = run.client.firstByteAt;
      outcome = { kind: 'success', firstByteMs: firstByteAt === undefined ? undefined : firstByteAt - startedAt };
    }
    return undefined;
  } catch (thrown) {
    if (run.cutByShutdown()) return shuttingDownError();
    const error =
      thrown instanceof GatewayError
        ? thrown
        : new GatewayError('internal_error', 'unexpected failure while calling the upstream', { cause: thrown });
    outcome = healthOutcome(error, policy, repeated);
    return error;
  } finally {
    run.client.onCommit = undefined;
    await run.router.attemptFinished(deployment, outcome, holdsProbe);
  }
}

function throwIfAborted(run: RequestRun): void {
  if (!run.signal.aborted) return;
  throw run.cutByShutdown() ? shuttingDownError() : new GatewayError('client_closed', 'client closed the request');
}

async function pause(ms: number, run: RequestRun): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, { signal: run.signal }).catch(() => undefined);
  throwIfAborted(run);
}
