import { GatewayError } from '../core/errors.ts';
import type { ChatRequest } from '../core/types.ts';
import { capText } from '../lib/cap-text.ts';
import type { OpenAIChatRequest } from '../protocols/openai-chat.ts';
import type { ModelCatalogue } from '../routing/catalogue.ts';
import type { Router } from '../routing/router.ts';
import type { ResolvedModel } from '../routing/types.ts';
import { fromOpenAIChatRequest } from '../surfaces/openai-chat/to-canonical.ts';
import type { ClientResponse } from './client-response.ts';
import { assertSafeWildcardMatch } from './deployment-target.ts';
import { type RequestRun, tryModel } from './model-attempts.ts';
import type { ShutdownCutoff, WatchedRequest } from './shutdown-cutoff.ts';
import type { SurfaceRenderer } from './translated.ts';
import type { ProviderRuntime, RequestOutcome } from './types.ts';

export interface ChatHandlerDeps {
  catalogue: ModelCatalogue;
  providers: ReadonlyMap<string, ProviderRuntime>;
  /** Plans attempts (strategy, cooldowns) and learns from their outcomes. */
  router: Router;
  /** Cuts running requests at the end of the shutdown grace period. */
  shutdown?: ShutdownCutoff;
}

export interface ChatContext {
  requestId: string;
  /** The request's controller: aborted on client disconnect or at the shutdown cutoff. */
  controller: AbortController;
  /** Filled in as the request goes; the server records it when the response is done. */
  outcome: RequestOutcome;
  modelAllowed(name: string): boolean;
}

/**
 * The attempt loop: the requested model (its deployments, retries), then its fallback models in
 * order, until one answers. A model is left for the next one when its tries are used up, when
 * every deployment is cooling down, or at once on a context-window or content-policy error.
 * The client gets the last upstream error, or 503 `no_deployment_available` when nothing could
 * even be tried.
 */
export async function handleChat(
  deps: ChatHandlerDeps,
  ctx: ChatContext,
  body: OpenAIChatRequest,
  client: ClientResponse,
  surface: SurfaceRenderer,
): Promise<void> {
  const chain = resolveChain(deps, body.model, ctx);
  const watched = deps.shutdown?.watch(ctx.controller);
  try {
    await serveFromChain(deps, ctx, chain, body, client, surface, watched);
  } finally {
    watched?.dispose();
  }
}

async function serveFromChain(
  deps: ChatHandlerDeps,
  ctx: ChatContext,
  chain: ResolvedModel[],
  body: OpenAIChatRequest,
  client: ClientResponse,
  surface: SurfaceRenderer,
  watched: WatchedRequest | undefined,
): Promise<void> {
  let canonical: ChatRequest | undefined;
  const run: RequestRun = {
    router: deps.router,
    providers: deps.providers,
    signal: watched?.signal ?? ctx.controller.signal,
    cutByShutdown: () => watched?.cutByShutdown ?? false,
    outcome: ctx.outcome,
    body,
    client,
    surface,
    canonical: () => {
      canonical ??= fromOpenAIChatRequest(body);
      return canonical;
    },
    attempts: 0,
    triedModels: [],
  };
  let lastError: GatewayError | undefined;
  let reopensAt: number | undefined;
  for (const resolved of chain) {
    run.triedModels.push(resolved.model.name);
    ctx.outcome.fallbackModels = run.triedModels.length > 1 ? [...run.triedModels] : [];
    const result = await tryModel(run, resolved);
    if (result.kind === 'served') return;
    lastError = result.lastError ?? lastError;
    if (result.reopensAt !== undefined) reopensAt = Math.min(reopensAt ?? Number.POSITIVE_INFINITY, result.reopensAt);
  }
  throw lastError ?? noDeploymentAvailable(body.model, reopensAt, deps.router.now());
}

function resolveChain(deps: ChatHandlerDeps, name: string, ctx: ChatContext): ResolvedModel[] {
  const catalogue = deps.catalogue;
  const first = ctx.modelAllowed(name) ? catalogue.resolve(name) : undefined;
  if (!first) {
    throw new GatewayError(
      'model_not_found',
      `The model \`${capText(name)}\` does not exist or you do not have access to it.`,
      {
        param: 'model',
      },
    );
  }
  assertSafeWildcardMatch(first, name, deps.providers);
  ctx.outcome.publicModel = first.model.name;
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

function noDeploymentAvailable(model: string, reopensAt: number | undefined, now: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(((reopensAt ?? now + 1000) - now) / 1000));
  return new GatewayError(
    'no_deployment_available',
    `No deployment of model '${capText(model)}' is available right now: all are cooling down after failures. Retry in ${seconds} s.`,
    { retryAfter: String(seconds), retryAfterMs: Math.max(0, (reopensAt ?? now) - now) },
  );
}
