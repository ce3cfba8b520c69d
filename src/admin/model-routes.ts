import type { FastifyInstance } from 'fastify';
import type { PriceBook } from '../policy/pricing/index.ts';
import type { ModelCatalogue } from '../routing/catalogue.ts';
import type { Router } from '../routing/router.ts';
import type { CircuitState, DeploymentSnapshot } from '../routing/router-state.ts';
import type { Deployment, PublicModel } from '../routing/types.ts';
import type { AdminDeps } from './admin-context.ts';

/** What the server serves right now (a config reload swaps it): read once per call. */
export interface LiveModels {
  catalogue: ModelCatalogue;
  router: Router;
  prices: PriceBook;
  /** The type (openai, anthropic, …) of a configured provider name. */
  providerType(providerName: string): string | undefined;
}

const STATE_NAMES: Readonly<Record<CircuitState, 'closed' | 'open' | 'half_open'>> = {
  closed: 'closed',
  open: 'open',
  'half-open': 'half_open',
};

/** `GET /admin/models`: every public model, its deployments' live state (this process's router) and prices. */
export function registerModelRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  scope.get('/admin/models', async () => {
    const live = deps.models?.();
    if (live === undefined) return { object: 'list', data: [] };
    const models = live.catalogue.list();
    const snapshots = await live.router.inspect(models.flatMap((model) => model.deployments.map((d) => d.id)));
    const byId = new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));
    return {
      object: 'list',
      data: models.map((model) => ({
        name: model.name,
        wildcard: model.name.includes('*'),
        strategy: model.strategy,
        fallbacks: model.fallbacks,
        deployments: model.deployments.map((deployment) =>
          deploymentView(live, model, deployment, byId.get(deployment.id)),
        ),
      })),
    };
  });
}

function deploymentView(
  live: LiveModels,
  model: PublicModel,
  deployment: Deployment,
  snapshot: DeploymentSnapshot | undefined,
) {
  const providerType = live.providerType(deployment.providerName) ?? null;
  return {
    id: deployment.id,
    provider: deployment.providerName,
    providerType,
    upstreamModel: deployment.model,
    weight: deployment.weight,
    priority: deployment.priority,
    state: STATE_NAMES[snapshot?.circuit.state ?? 'closed'],
    reopensAt: snapshot?.circuit.reopensAt ?? null,
    inFlight: snapshot?.inFlight ?? 0,
    latencyAvgMs: snapshot?.latency === undefined ? null : Math.round(snapshot.latency.ewmaMs),
    // Newest first.
    recentErrors: [...(snapshot?.recentErrors ?? [])].reverse(),
    price: priceView(live, model, deployment, providerType),
  };
}

/** USD per 1M tokens; null for a wildcard deployment (the price depends on the model asked for) or an unpriced one. */
function priceView(live: LiveModels, model: PublicModel, deployment: Deployment, providerType: string | null) {
  if (providerType === null || deployment.model.includes('*')) return null;
  const price = live.prices.priceFor({
    publicModel: model.name,
    providerName: deployment.providerName,
    providerType,
    upstreamModel: deployment.model,
  });
  if (price === undefined) return null;
  return {
    inputPerMTokUsd: price.listed.input,
    outputPerMTokUsd: price.listed.output,
    cachedInputPerMTokUsd: price.listed.cachedInput,
    source: price.source,
  };
}
