import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../core/errors.ts';
import type { ChatRequest } from '../core/types.ts';
import type { OpenAIChatRequest } from '../protocols/openai-chat.ts';
import type { DeploymentTarget } from '../providers/types.ts';
import { type ModelCatalogue, upstreamModelName } from '../routing/catalogue.ts';
import type { Deployment, PublicModel, ResolvedModel } from '../routing/types.ts';
import { fromOpenAIChatRequest } from '../surfaces/openai-chat/to-canonical.ts';
import { type AttemptResult, runAttempt } from './attempt.ts';
import { retryDelayMs } from './backoff.ts';
import type { ClientResponse } from './client-response.ts';
import type { SurfaceRenderer } from './translated.ts';
import type { ProviderRuntime, RequestOutcome } from './types.ts';

export interface ChatHandlerDeps {
  catalogue: ModelCatalogue;
  providers: ReadonlyMap<string, ProviderRuntime>;
  /** Orders a model's deployments for one request. */
  plan(model: PublicModel): Deployment[];
}

export interface ChatContext {
  requestId: string;
  signal: AbortSignal;
  /** Filled in as the request goes; the server records it when the response is done. */
  outcome: RequestOutcome;
  modelAllowed(name: string): boolean;
}

/**
 * The attempt loop: the requested model's deployments in planned order, then its fallbacks, until
 * one answers. Retries only before the first byte reached the client.
 */
export async function handleChat(
  deps: ChatHandlerDeps,
  ctx: ChatContext,
  body: OpenAIChatRequest,
  client: ClientResponse,
  surface: SurfaceRenderer,
): Promise<void> {
  const chain = resolveChain(deps.catalogue, body.model, ctx);
  let canonical: ChatRequest | undefined;
  const lazyCanonical = () => {
    canonical ??= fromOpenAIChatRequest(body);
    return canonical;
  };
  let lastError: GatewayError | undefined;
  let attempts = 0;
  const tried: string[] = [];
  for (const resolved of chain) {
    const model = resolved.model;
    tried.push(model.name);
    const plan = deps.plan(model);
    for (let tryIndex = 0; tryIndex < model.retry.attempts && plan.length > 0; tryIndex++) {
      if (ctx.signal.aborted) throw new GatewayError('client_closed', 'client closed the request');
      if (tryIndex > 0 && lastError) await sleep(retryDelayMs(model.retry, tryIndex, lastError.retryAfter), undefined, { signal: ctx.signal }).catch(() => undefined);
      const deployment = plan[tryIndex % plan.length] as Deployment;
      const runtime = deps.providers.get(deployment.providerName);
      if (!runtime) continue;
      const target = toTarget(runtime, deployment, resolved);
      attempts++;
      Object.assign(ctx.outcome, { provider: runtime.name, upstreamModel: target.model, attempts });
      try {
        const result: AttemptResult = await runAttempt({
          runtime,
          target,
          timeouts: deployment.timeouts,
          signal: ctx.signal,
          client,
          clientBody: body,
          canonical: lazyCanonical,
          surface,
          servedBy: { provider: runtime.name, model: target.model, attempts, fallbackModels: tried.length > 1 ? tried : [] },
        });
        ctx.outcome.usage = result.usage;
        ctx.outcome.fallbackModels = tried.length > 1 ? tried : [];
        if (result.streamError) ctx.outcome.errorCode = result.streamError.code;
        return;
      } catch (error) {
        const failure = toGatewayError(error);
        if (client.started || !failure.retryable || ctx.signal.aborted) throw failure;
        lastError = failure;
      }
    }
  }
  throw lastError ?? new GatewayError('no_deployment_available', `No deployment is available for model '${body.model}'.`);
}

function resolveChain(catalogue: ModelCatalogue, name: string, ctx: ChatContext): ResolvedModel[] {
  const first = ctx.modelAllowed(name) ? catalogue.resolve(name) : undefined;
  if (!first) {
    throw new GatewayError('model_not_found', `The model \`${name}\` does not exist or you do not have access to it.`, {
      param: 'model',
    });
  }
  ctx.outcome.publicModel = first.model.name;
  const chain = [first];
  for (const fallback of first.model.fallbacks) {
    const resolved = catalogue.resolve(fallback);
    if (resolved && resolved !== first) chain.push(resolved);
  }
  return chain;
}

function toTarget(runtime: ProviderRuntime, deployment: Deployment, resolved: ResolvedModel): DeploymentTarget {
  const model = upstreamModelName(deployment, resolved.wildcardMatch);
  const target: DeploymentTarget = {
    providerName: runtime.name,
    providerType: runtime.type,
    baseUrl: runtime.baseUrl,
    model,
    capabilities: { ...runtime.adapter.capabilitiesFor(model), ...deployment.capabilities },
  };
  if (runtime.apiKey) target.apiKey = runtime.apiKey;
  const headers = { ...runtime.headers, ...deployment.headers };
  if (Object.keys(headers).length > 0) target.headers = headers;
  if (deployment.bodyOverrides) target.bodyOverrides = deployment.bodyOverrides as DeploymentTarget['bodyOverrides'] & object;
  return target;
}

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'unexpected failure while calling the upstream', { cause: error });
}
