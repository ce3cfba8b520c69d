/**
 * The retry loop for one public model: up to `retry.attempts` upstream tries over its deployments.
 * A retry goes to a deployment that has not failed for this request when there is one, at once;
 * only a retry on a deployment that already failed waits (retry hint or backoff). Everything
 * happens before the first byte reached the client; after it, a failure is the stream's end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../core/errors.ts';
import { recordUsage } from '../policy/request-record.ts';
import type { Candidate, Plan } from '../routing/planner.ts';
import { decideAfterFailure, mayRetrySameDeployment, retryDelayMs } from '../routing/retry-policy.ts';
import type { AttemptOutcome } from '../routing/router-state.ts';
import type { ResolvedModel, RetryPolicy } from '../routing/types.ts';
import type { AttemptRecord } from '../store/types.ts';
import { asGatewayError } from './as-gateway-error.ts';
import { runAttempt } from './attempt.ts';
import { healthOutcome } from './attempt-outcome.ts';
import { attemptOutcomeName } from './attempt-record.ts';
import type { RequestContext } from './context.ts';
import { toDeploymentTarget } from './deployment-target.ts';
import { shuttingDownError } from './shutdown-cutoff.ts';
import { endStreamWithError } from './stream-error.ts';
import type { ProviderRuntime } from './types.ts';

export type ModelResult =
  | { kind: 'served' }
  /** This model cannot answer: the fallback models may. */
  | { kind: 'exhausted'; lastError: GatewayError | undefined; reopensAt: number | undefined };

/** Probe claims held longer than this are considered abandoned when the deployment has no total timeout. */
const DEFAULT_PROBE_LEASE_MS = 600_000;

export async function tryModel(ctx: RequestContext, resolved: ResolvedModel): Promise<ModelResult> {
  const model = resolved.model;
  const policy = model.retry;
  const failed = new Set<string>();
  /** Deployments this request must not go back to (their provider key was refused). */
  const barred = new Set<string>();
  let lastError: GatewayError | undefined;
  let retriesOnFailed = 0;
  let lostClaims = 0;
  let plan: Plan = { candidates: [], reopensAt: undefined };
  const { router, providers } = ctx.gateway;
  for (let tries = 0; tries < policy.attempts; ) {
    ctx.throwIfAborted();
    plan = await router.plan(model);
    let pick = choose(plan, failed, barred);
    if (!pick.fresh) {
      if (lastError === undefined) break;
      const waitMs = waitBeforeRetry(
        policy,
        ++retriesOnFailed,
        lastError,
        pick.candidate,
        plan.reopensAt,
        router.now(),
      );
      if (waitMs === undefined) break;
      await pause(waitMs, ctx);
      plan = await router.plan(model);
      pick = choose(plan, failed, barred);
    }
    const candidate = pick.candidate;
    if (!candidate) break;
    const runtime = providers.get(candidate.deployment.providerName);
    if (!runtime)
      throw new GatewayError('internal_error', `provider ${candidate.deployment.providerName} is not configured`);
    const leaseMs = candidate.deployment.timeouts.totalMs || DEFAULT_PROBE_LEASE_MS;
    if (!(await router.claim(candidate, leaseMs))) {
      // Another request took the probe between plan and claim: plan again (bounded).
      if (++lostClaims > model.deployments.length * 2) break;
      continue;
    }
    tries++;
    const repeated = failed.has(candidate.deployment.id);
    const error = await attemptOn(ctx, runtime, resolved, candidate, policy, repeated);
    if (error === undefined) return { kind: 'served' };
    const decision = decideAfterFailure(error);
    if (!mayRetrySameDeployment(error)) {
      barred.add(candidate.deployment.id);
      // The operator must act: say so even when another deployment serves this request.
      ctx.gateway.onServerError(error, ctx.requestId);
    }
    if (decision === 'final' || ctx.client.started) throw error;
    lastError = error;
    if (decision === 'fallback') return { kind: 'exhausted', lastError, reopensAt: undefined };
    failed.add(candidate.deployment.id);
  }
  return { kind: 'exhausted', lastError, reopensAt: plan.reopensAt };
}

/** Prefers a deployment that has not failed for this request; else the best one that did and may be retried. */
function choose(
  plan: Plan,
  failed: ReadonlySet<string>,
  barred: ReadonlySet<string>,
): { candidate: Candidate | undefined; fresh: boolean } {
  const usable = plan.candidates.filter((candidate) => !barred.has(candidate.deployment.id));
  const fresh = usable.find((candidate) => !failed.has(candidate.deployment.id));
  return fresh ? { candidate: fresh, fresh: true } : { candidate: usable[0], fresh: false };
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
  const delay = retryDelayMs(policy, retry, lastError.retryAfterMs);
  if (candidate) return delay;
  if (reopensAt === undefined || reopensAt - now > delay) return undefined;
  return Math.max(delay, reopensAt - now + 2);
}

/**
 * One upstream attempt on a candidate; undefined when it served the client. `repeated`: this
 * request already failed on the deployment (its breaker counts one failure per request).
 */
async function attemptOn(
  ctx: RequestContext,
  runtime: ProviderRuntime,
  resolved: ResolvedModel,
  candidate: Candidate,
  policy: RetryPolicy,
  repeated: boolean,
): Promise<GatewayError | undefined> {
  const { deployment } = candidate;
  const { router } = ctx.gateway;
  const target = toDeploymentTarget(runtime, deployment, resolved);
  ctx.attempts++;
  ctx.record.provider = runtime.name;
  ctx.record.upstreamModel = target.model;
  ctx.record.attempts = ctx.attempts;
  const fallbackModels = ctx.triedModels.length > 1 ? [...ctx.triedModels] : [];
  await router.attemptStarted(deployment);
  const startedAt = performance.now();
  const attemptRecord: AttemptRecord = {
    publicModel: resolved.model.name,
    provider: runtime.name,
    deployment: deployment.id,
    upstreamModel: target.model,
    startedAt: Date.now(),
    durationMs: 0,
    outcome: 'ok',
    status: null,
    errorCode: null,
    fallback: ctx.triedModels.length > 1,
  };
  if (ctx.record.attemptLog === undefined) ctx.record.attemptLog = [];
  ctx.record.attemptLog.push(attemptRecord);
  const traced = ctx.record.trace === undefined ? undefined : ctx.gateway.tracing?.attempt(ctx.record.trace);
  if (traced !== undefined) attemptRecord.spanId = traced.spanId;
  let outcome: AttemptOutcome = { kind: 'neutral' };
  // A probe whose response starts has shown the deployment works: settle it then, so that a long
  // stream does not keep the deployment half-open (and without traffic) until it ends.
  let holdsProbe = candidate.probe;
  const stopWatching = holdsProbe
    ? ctx.client.onceStarted(() => {
        holdsProbe = false;
        void router.probeSucceeded(deployment);
      })
    : undefined;
  try {
    const result = await runAttempt(ctx, {
      runtime,
      target,
      timeouts: deployment.timeouts,
      servedBy: { provider: runtime.name, model: target.model, attempts: ctx.attempts, fallbackModels },
      traceHeaders: traced?.headers,
    });
    recordUsage(ctx.record, result.usage);
    if (result.streamError && ctx.cutByShutdown()) {
      endStreamWithError(ctx.client, shuttingDownError(), ctx.renderStreamError);
      ctx.record.errorCode = 'shutting_down';
    } else if (result.streamError) {
      ctx.record.errorCode = result.streamError.code;
      attemptRecord.outcome = 'stream_error';
      attemptRecord.errorCode = result.streamError.code;
      outcome = healthOutcome(result.streamError, policy, repeated);
    } else {
      const firstByteAt = ctx.client.firstByteAt;
      outcome = { kind: 'success', firstByteMs: firstByteAt === undefined ? undefined : firstByteAt - startedAt };
    }
    return undefined;
  } catch (thrown) {
    if (ctx.cutByShutdown()) return shuttingDownError();
    const error = asGatewayError(thrown);
    attemptRecord.outcome = attemptOutcomeName(error);
    attemptRecord.status = error.upstreamStatus ?? null;
    attemptRecord.errorCode = error.code;
    outcome = healthOutcome(error, policy, repeated);
    return error;
  } finally {
    attemptRecord.durationMs = performance.now() - startedAt;
    stopWatching?.();
    await router.attemptFinished(deployment, outcome, holdsProbe);
  }
}

async function pause(ms: number, ctx: RequestContext): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, { signal: ctx.signal }).catch(() => undefined);
  ctx.throwIfAborted();
}
