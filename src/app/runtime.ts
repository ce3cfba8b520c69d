import type { Logger } from 'pino';
import type { LlmuxConfig, ProviderConfig } from '../config/index.ts';
import type { ProviderRuntime } from '../gateway/types.ts';
import type { RequestPolicy } from '../policy/admission.ts';
import { KeyDirectory } from '../policy/key-directory.ts';
import type { KeyStore } from '../policy/key-store.ts';
import { MemoryLimiter } from '../policy/limits/memory-limiter.ts';
import type { Limiter } from '../policy/limits/types.ts';
import { createPriceBook, type PriceBook, unpricedDeployments } from '../policy/pricing/index.ts';
import { TenancyPolicy } from '../policy/tenancy-policy.ts';
import { adapterFor } from '../providers/registry.ts';
import { ModelCatalogue } from '../routing/catalogue.ts';
import { MemoryRouterState } from '../routing/memory-router-state.ts';
import { Router } from '../routing/router.ts';
import type { CircuitState } from '../routing/router-state.ts';
import type { SharedCooldowns } from '../routing/shared-cooldowns.ts';
import type { Deployment, PublicModel } from '../routing/types.ts';
import type { RequestLogRecord } from '../store/types.ts';
import type { Transport } from '../upstream/types.ts';

/**
 * What requests are served with, built from one config. A reload builds a new one and swaps it
 * whole; a request keeps the pieces it started with.
 */
export interface Runtime {
  config: LlmuxConfig;
  keys: KeyStore;
  catalogue: ModelCatalogue;
  providers: ReadonlyMap<string, ProviderRuntime>;
  router: Router;
  routerState: MemoryRouterState;
  /** Prices of this config (`pricing:` overrides over the bundled table). */
  prices: PriceBook;
  policy: RequestPolicy;
  /** Models the config disabled, name → why. */
  disabledModels: ReadonlyMap<string, string>;
}

export type PolicyFactory = (writeRecord: (record: RequestLogRecord) => void) => RequestPolicy;

export interface RuntimeDeps {
  logger: Logger;
  httpTransport: Transport;
  policy: PolicyFactory | undefined;
  writeRecord: (record: RequestLogRecord) => void;
  /** The app's key directory (static and managed keys); unset = the config's keys only (tests). */
  keys?: KeyDirectory;
  /** Limits and budgets (in-process or Redis); unset = an in-process one without durable spend (tests). */
  limiter?: Limiter;
  /** Cooldowns shared with the other replicas (Redis); unset = this process's own. */
  cooldowns?: SharedCooldowns | undefined;
}

/** Every configured deployment's circuit state now (metrics, at scrape time). */
export function deploymentStates(runtime: Runtime): Array<{ deployment: string; state: CircuitState }> {
  const ids = runtime.catalogue.list().flatMap((model) => model.deployments.map((deployment) => deployment.id));
  return runtime.routerState.snapshot(ids, Date.now()).map((snapshot) => ({
    deployment: snapshot.id,
    state: snapshot.circuit.state,
  }));
}

/** Builds the runtime for `config`; given the one it replaces, deployments that stayed keep their router state. */
export function buildRuntime(config: LlmuxConfig, deps: RuntimeDeps, previous?: Runtime): Runtime {
  const { logger } = deps;
  const providers = new Map<string, ProviderRuntime>();
  for (const provider of Object.values(config.providers)) {
    if (provider.enabled) providers.set(provider.name, toProviderRuntime(provider, deps.httpTransport));
  }
  const catalogue = new ModelCatalogue(config.models.map(toPublicModel));
  const routerState = new MemoryRouterState({ cooldown: config.router.cooldown });
  if (previous) routerState.inheritFrom(previous.routerState, unchangedDeployments(previous, catalogue, providers));
  const prices = createPriceBook(config.pricing);
  const unpriced = unpricedDeployments(config, prices);
  if (unpriced.length > 0)
    logger.info(
      { deployments: unpriced },
      'deployments without a price: their requests cost nothing in budgets and usage',
    );
  const router = new Router(deps.cooldowns?.wrap(routerState) ?? routerState, {
    priceOf: (deployment) => priceOfDeployment(deployment, providers, prices),
    onCircuitChange: (deployment, change) => {
      const fields = { deployment: deployment.id, provider: deployment.providerName, model: deployment.model };
      if (change.kind === 'opened')
        logger.warn({ ...fields, until: new Date(change.until).toISOString() }, 'deployment cooling down');
      else logger.info(fields, 'deployment back in service');
    },
    onStateError: (error) => logger.error({ err: error }, 'router state unavailable; routing without it'),
  });
  return {
    config,
    keys: configuredKeys(config, deps.keys),
    catalogue,
    providers,
    router,
    routerState,
    prices,
    policy: deps.policy ? deps.policy(deps.writeRecord) : tenancyPolicy(config, deps, providers, prices),
    disabledModels: new Map(config.disabledModels.map((model) => [model.name, model.reason])),
  };
}

function tenancyPolicy(
  config: LlmuxConfig,
  deps: RuntimeDeps,
  providers: ReadonlyMap<string, ProviderRuntime>,
  prices: PriceBook,
): RequestPolicy {
  return new TenancyPolicy({
    limiter: deps.limiter ?? new MemoryLimiter({ spendSource: async () => 0 }),
    prices,
    unpriced: config.pricing.unpriced,
    onStoreError: config.limits.onStoreError,
    defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens,
    providerType: (name) => providers.get(name)?.type,
    write: deps.writeRecord,
    logger: deps.logger,
  });
}

/** The router's `cost` strategy: a deployment's blended price per 1M tokens (wildcard deployments: unknown). */
function priceOfDeployment(
  deployment: Deployment,
  providers: ReadonlyMap<string, ProviderRuntime>,
  prices: PriceBook,
): number | undefined {
  const runtime = providers.get(deployment.providerName);
  if (runtime === undefined || deployment.model.includes('*')) return undefined;
  const publicModel = deployment.id.slice(0, deployment.id.lastIndexOf('#'));
  return prices.priceFor({
    publicModel,
    providerName: runtime.name,
    providerType: runtime.type,
    upstreamModel: deployment.model,
  })?.blendedPerMillion;
}

/** The directory given this config's static keys and teams (a reload changes them in place). */
function configuredKeys(config: LlmuxConfig, directory: KeyDirectory | undefined): KeyDirectory {
  if (directory === undefined) return new KeyDirectory(config.keys, config.teams, {});
  directory.reloadConfig(config.keys, config.teams);
  return directory;
}

/** Ids of the deployments that still send the same model to the same upstream with the same credentials. */
function unchangedDeployments(
  previous: Runtime,
  catalogue: ModelCatalogue,
  providers: ReadonlyMap<string, ProviderRuntime>,
): string[] {
  const before = new Map(
    previous.catalogue
      .list()
      .flatMap((model) => model.deployments)
      .map((deployment) => [deployment.id, deployment]),
  );
  return catalogue
    .list()
    .flatMap((model) => model.deployments)
    .filter((deployment) => {
      const old = before.get(deployment.id);
      const oldProvider = previous.providers.get(deployment.providerName);
      const provider = providers.get(deployment.providerName);
      return (
        old !== undefined &&
        old.providerName === deployment.providerName &&
        old.model === deployment.model &&
        oldProvider?.baseUrl === provider?.baseUrl &&
        oldProvider?.type === provider?.type &&
        oldProvider?.apiKey === provider?.apiKey
      );
    })
    .map((deployment) => deployment.id);
}

function toProviderRuntime(provider: ProviderConfig, httpTransport: Transport): ProviderRuntime {
  const registered = adapterFor(provider.type);
  const adapter = registered.forProvider?.(provider) ?? registered;
  const transport = adapter.createTransport?.(provider, httpTransport) ?? httpTransport;
  const configured = 'baseUrl' in provider && provider.baseUrl ? provider.baseUrl : adapter.defaultBaseUrl;
  const baseUrl = (adapter.baseUrlFor?.(provider) ?? configured).replace(/\/+$/, '');
  const runtime: ProviderRuntime = { name: provider.name, type: provider.type, adapter, transport, baseUrl };
  if ('apiKey' in provider && provider.apiKey) runtime.apiKey = provider.apiKey;
  if (Object.keys(provider.headers).length > 0) runtime.headers = provider.headers;
  return runtime;
}

function toPublicModel(model: LlmuxConfig['models'][number]): PublicModel {
  return {
    name: model.name,
    strategy: model.strategy,
    fallbacks: model.fallbacks,
    retry: model.retry,
    timeouts: model.timeouts,
    deployments: model.deployments.map((deployment, index) => {
      const out: PublicModel['deployments'][number] = {
        id: `${model.name}#${index}`,
        providerName: deployment.provider,
        model: deployment.model,
        weight: deployment.weight,
        priority: deployment.priority,
        capabilities: stripUndefined(deployment.capabilities),
        timeouts: deployment.timeouts,
      };
      if (Object.keys(deployment.bodyOverrides).length > 0) out.bodyOverrides = deployment.bodyOverrides;
      if (Object.keys(deployment.headers).length > 0) out.headers = deployment.headers;
      return out;
    }),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
