import type { ServerResponse } from 'node:http';
import { GatewayError, isRetryableStatus } from '../core/errors.ts';
import { capText } from '../lib/cap-text.ts';
import type { Admission, RequestFacts } from '../policy/admission.ts';
import { keyAllowsModel } from '../policy/key-ring.ts';
import type { PricedTarget } from '../policy/pricing/types.ts';
import { recordUsage } from '../policy/request-record.ts';
import { upstreamModelName } from '../routing/catalogue.ts';
import type { ResolvedModel } from '../routing/types.ts';
import type { Surface } from '../surfaces/types.ts';
import { asGatewayError } from './as-gateway-error.ts';
import { passesThrough } from './attempt.ts';
import { type Gateway, type IncomingRequest, RequestContext } from './context.ts';
import { assertSafeWildcardMatch } from './deployment-target.ts';
import { checkEmbeddingChain } from './embedding-attempt.ts';
import { tryModel } from './model-attempts.ts';
import { endStreamWithError } from './stream-error.ts';
import { completeTrace } from './trace-record.ts';

/**
 * The lifecycle of one request, for any surface: resolve the model, admit, run the attempts over
 * the model and its fallbacks, answer a failure in the surface's format, settle. The request is
 * counted in flight, and watched by the shutdown cutoff, until it is settled.
 */
export async function serve(
  gateway: Gateway,
  surface: Surface,
  incoming: IncomingRequest,
  res: ServerResponse,
): Promise<void> {
  const untrack = gateway.trackRequest?.();
  const ctx = new RequestContext(gateway, surface, incoming, res);
  const watched = gateway.shutdown?.watch(ctx.controller);
  let admission: Admission | undefined;
  try {
    const chain = resolveChain(ctx);
    admission = await gateway.policy.admit(ctx.key, requestFacts(ctx, chain));
    if (admission.headers !== undefined) ctx.client.addHeaders(admission.headers);
    // Input only the canonical conversion can reject is a 400 before any attempt is counted.
    const embedding = ctx.request.embedding;
    if (embedding !== undefined) checkEmbeddingChain(ctx, chain, embedding);
    else if (needsCanonical(ctx, chain)) ctx.request.canonical();
    await serveFromChain(ctx, chain);
  } catch (thrown) {
    answerFailure(ctx, asGatewayError(thrown));
  } finally {
    watched?.dispose();
    closeRecord(ctx);
    completeTrace(ctx);
    try {
      gateway.policy.settle(admission, ctx.record);
      gateway.onSettled?.(ctx.record);
    } finally {
      untrack?.();
    }
  }
}

/**
 * The attempt loop: the requested model (its deployments, retries), then its fallback models in
 * order, until one answers. The client gets the last upstream error, or 503
 * `no_deployment_available` when nothing could even be tried.
 */
async function serveFromChain(ctx: RequestContext, chain: ResolvedModel[]): Promise<void> {
  let lastError: GatewayError | undefined;
  let reopensAt: number | undefined;
  for (const resolved of chain) {
    ctx.triedModels.push(resolved.model.name);
    ctx.record.fallbackModels = ctx.triedModels.length > 1 ? ctx.triedModels.join(',') : null;
    const result = await tryModel(ctx, resolved);
    if (result.kind === 'served') return;
    lastError = result.lastError ?? lastError;
    if (result.reopensAt !== undefined) reopensAt = Math.min(reopensAt ?? Number.POSITIVE_INFINITY, result.reopensAt);
  }
  throw lastError ?? noDeploymentAvailable(ctx.request.model, reopensAt, ctx.gateway.router.now());
}

/** The requested model (when the key may use it) and its fallbacks, each once. */
function resolveChain(ctx: RequestContext): ResolvedModel[] {
  const { catalogue, providers } = ctx.gateway;
  const name = ctx.request.model;
  const allowed = ctx.key !== undefined && keyAllowsModel(ctx.key, name);
  const first = allowed ? catalogue.resolve(name) : undefined;
  const disabledReason = allowed ? ctx.gateway.disabledModels?.get(name) : undefined;
  if (!first && disabledReason !== undefined) {
    throw new GatewayError('no_deployment_available', `The model \`${name}\` is disabled: ${disabledReason}.`, {
      param: 'model',
      retryable: false,
    });
  }
  if (!first) {
    throw new GatewayError(
      'model_not_found',
      `The model \`${capText(name)}\` does not exist or you do not have access to it.`,
      { param: 'model' },
    );
  }
  assertSafeWildcardMatch(first, name, providers);
  ctx.record.publicModel = first.model.name;
  const chain = [first];
  const seen = new Set([first.model.name]);
  for (const fallback of first.model.fallbacks) {
    const resolved = catalogue.resolve(fallback);
    if (resolved && !seen.has(resolved.model.name)) {
      seen.add(resolved.model.name);
      chain.push(resolved);
    }
  }
  return chain;
}

function requestFacts(ctx: RequestContext, chain: ResolvedModel[]): RequestFacts {
  const { request } = ctx;
  return {
    requestId: ctx.requestId,
    surface: ctx.surface.wireFormat,
    publicModel: ctx.record.publicModel ?? request.model,
    stream: request.stream,
    bodyBytes: ctx.bodyBytes,
    maxOutputTokens: request.maxOutputTokens === undefined ? undefined : request.maxOutputTokens * request.choices,
    choices: request.choices,
    inputTokens: () => inputTokenEstimate(ctx),
    targets: () => pricedTargets(ctx, chain),
  };
}

/** Counted once per request, on demand (admission for limits, or settlement for missing usage). */
function inputTokenEstimate(ctx: RequestContext): number {
  ctx.inputTokenEstimate ??= ctx.request.estimateInputTokens(tokenCounter(ctx));
  return ctx.inputTokenEstimate;
}

function tokenCounter(ctx: RequestContext): (texts: readonly string[]) => number {
  return ctx.gateway.countTokens?.bind(ctx.gateway) ?? roughTokenCount;
}

function roughTokenCount(texts: readonly string[]): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return Math.ceil(chars / 4);
}

function pricedTargets(ctx: RequestContext, chain: ResolvedModel[]): PricedTarget[] {
  const targets: PricedTarget[] = [];
  for (const resolved of chain) {
    for (const deployment of resolved.model.deployments) {
      const runtime = ctx.gateway.providers.get(deployment.providerName);
      if (runtime === undefined) continue;
      targets.push({
        publicModel: resolved.model.name,
        providerName: runtime.name,
        providerType: runtime.type,
        upstreamModel: upstreamModelName(deployment, resolved.wildcardMatch),
      });
    }
  }
  return targets;
}

/** True when some deployment of the chain cannot take the client's body as it is. */
function needsCanonical(ctx: RequestContext, chain: ResolvedModel[]): boolean {
  const { providers } = ctx.gateway;
  return chain.some((resolved) =>
    resolved.model.deployments.some((deployment) => {
      const runtime = providers.get(deployment.providerName);
      return runtime !== undefined && !passesThrough(ctx.surface, runtime.adapter);
    }),
  );
}

/** A failure the attempts could not absorb: an error answer, the end of a started stream, or nothing for a client gone. */
function answerFailure(ctx: RequestContext, failure: GatewayError): void {
  const { client, record } = ctx;
  record.errorCode = failure.code;
  if (ctx.clientLeft() || failure.code === 'client_closed') {
    client.end();
  } else if (!client.started) {
    const rendered = ctx.surface.renderError(failure, ctx.requestId);
    record.status = rendered.status;
    const headers = failure.headers === undefined ? rendered.headers : { ...failure.headers, ...rendered.headers };
    // The official SDKs retry 408/409/429/5xx unless told not to: a refusal that will not change is not retried.
    if (!failure.retryable && isRetryableStatus(rendered.status)) headers['x-should-retry'] = 'false';
    client.send(rendered.status, headers, rendered.body);
  } else {
    endStreamWithError(client, failure, ctx.renderStreamError);
  }
  if (failure.status >= 500 && failure.code !== 'client_closed') ctx.gateway.onServerError(failure, ctx.requestId);
}

function closeRecord(ctx: RequestContext): void {
  const { record, client } = ctx;
  if (ctx.clientLeft()) {
    record.status = 499;
    record.errorCode ??= 'client_closed';
  }
  record.latencyMs = Math.round(performance.now() - ctx.startedAt);
  record.ttftMs = client.firstByteAt === undefined ? null : Math.round(client.firstByteAt - ctx.startedAt);
  if (record.inputTokens === null && record.provider !== null && client.started) estimateUsage(ctx);
}

/**
 * The upstream answered but sent no usage (a stream cut before its usage chunk, a server that never
 * sends it): counted from the prompt and the output that went out, and flagged, so that no
 * answered request is free by accident.
 */
function estimateUsage(ctx: RequestContext): void {
  recordUsage(ctx.record, {
    inputTokens: inputTokenEstimate(ctx),
    outputTokens: ctx.output.tokens(tokenCounter(ctx)),
    estimated: true,
  });
}

/** 503 with the wait until the first deployment comes back (at least a second). */
function noDeploymentAvailable(model: string, reopensAt: number | undefined, now: number): GatewayError {
  const waitMs = Math.max(1000, (reopensAt ?? now) - now);
  return new GatewayError(
    'no_deployment_available',
    `No deployment of model '${capText(model)}' is available right now: all are cooling down after failures. Retry in ${Math.ceil(waitMs / 1000)} s.`,
    { retryAfterMs: waitMs },
  );
}
