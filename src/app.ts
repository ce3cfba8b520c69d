import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LlmuxConfig, ProviderConfig } from './config/index.ts';
import { configSecrets } from './config/secrets.ts';
import { InFlightRequests } from './gateway/in-flight-requests.ts';
import { ShutdownCutoff } from './gateway/shutdown-cutoff.ts';
import type { ProviderRuntime } from './gateway/types.ts';
import { createLogger } from './lib/logger.ts';
import { registerSecrets } from './lib/redact.ts';
import { OpenPolicy, type RequestPolicy } from './policy/admission.ts';
import { KeyRing } from './policy/key-ring.ts';
import { adapterFor } from './providers/registry.ts';
import { ModelCatalogue } from './routing/catalogue.ts';
import { MemoryRouterState } from './routing/memory-router-state.ts';
import { Router } from './routing/router.ts';
import type { PublicModel } from './routing/types.ts';
import { buildServer, type SurfaceRoute } from './server/build-server.ts';
import { ConnectionTracker, closeGracefully } from './server/graceful-close.ts';
import { openStore } from './store/open-store.ts';
import type { RequestLogRecord, Store } from './store/types.ts';
import type { Transport } from './upstream/types.ts';
import { createUndiciTransport } from './upstream/undici-transport.ts';

export interface LlmuxApp {
  server: FastifyInstance;
  store: Store;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), flushes the store. */
  close(): Promise<void>;
  /** Like close(), but cuts the requests in flight at once (they are still recorded); hurries a close() under way. */
  closeNow(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  /** Replaces the store from the config (tests). */
  store?: Store;
  /** Replaces the open policy; given the function that writes a request log row (tests). */
  policy?: (writeRecord: (record: RequestLogRecord) => void) => RequestPolicy;
  /** Surfaces served besides the built-in ones (tests). */
  surfaces?: readonly SurfaceRoute[];
}

/** The composition root: the one place that picks concrete stores and transports. */
export async function createApp(config: LlmuxConfig, options: CreateAppOptions = {}): Promise<LlmuxApp> {
  registerSecrets(configSecrets(config));
  const logger = options.logger ?? createLogger(process.env.LLMUX_LOG_LEVEL ?? config.logging.level);
  for (const notice of config.notices) logger.info(notice);
  const store =
    options.store ??
    (await openStore(config.store.kind === 'sqlite' ? { sqlite: config.store.path } : { postgres: config.store.url }, {
      onError: (error) => logger.error({ err: error }, 'request log flush failed'),
      flushIntervalMs: config.store.flushIntervalMs,
      ...(config.store.journal
        ? {
            journal: {
              ...config.store.journal,
              onReplay: (report) => logger.warn(report, 'request log: wrote the rows a crash left in the journal'),
            },
          }
        : {}),
    }));
  const mib = (value: number) => Math.round(value * 1024 * 1024);
  const httpTransport = createUndiciTransport({
    limits: {
      maxResponseBytes: mib(config.server.maxUpstreamResponseMb),
      maxEventBytes: mib(config.server.maxUpstreamEventMb),
      maxErrorBodyBytes: mib(config.server.maxUpstreamErrorMb),
    },
  });
  const providers = new Map<string, ProviderRuntime>();
  for (const provider of Object.values(config.providers)) {
    if (provider.enabled) providers.set(provider.name, toProviderRuntime(provider, httpTransport));
  }
  const catalogue = new ModelCatalogue(config.models.map(toPublicModel));
  const router = new Router(new MemoryRouterState({ cooldown: config.router.cooldown }), {
    onCircuitChange: (deployment, change) => {
      const fields = { deployment: deployment.id, provider: deployment.providerName, model: deployment.model };
      if (change.kind === 'opened')
        logger.warn({ ...fields, until: new Date(change.until).toISOString() }, 'deployment cooling down');
      else logger.info(fields, 'deployment back in service');
    },
    onStateError: (error) => logger.error({ err: error }, 'router state unavailable; routing without it'),
  });
  const inFlight = new InFlightRequests();
  let closing: Promise<void> | undefined;
  const shutdown = new ShutdownCutoff();
  const server = buildServer({
    logger,
    keys: new KeyRing(config.keys),
    catalogue,
    providers,
    bodyLimitBytes: mib(config.server.bodyLimitMb),
    limits: {
      headersTimeoutMs: config.server.headersTimeoutMs,
      bodyTimeoutMs: config.server.bodyTimeoutMs,
      maxConnections: config.server.maxConnections,
      maxUnauthenticatedPerIp: config.server.maxUnauthenticatedPerIp,
      maxInflightBodyBytes: mib(config.server.maxInflightBodyMb),
    },
    maxChoices: config.server.maxChoices,
    router,
    shutdown,
    policy: (options.policy ?? ((write) => new OpenPolicy(write)))((record) => store.requestLog.record(record)),
    surfaces: options.surfaces ?? [],
    trackRequest: () => inFlight.begin(),
    isShuttingDown: () => closing !== undefined,
  });
  const connections = new ConnectionTracker(server.server);

  const hurry = new AbortController();
  const close = () => {
    closing ??= (async () => {
      const drained = await closeGracefully(server, {
        connections,
        inFlight,
        graceMs: config.server.shutdownGraceMs,
        hurry: hurry.signal,
        onGraceOver: () => shutdown.trip(),
      });
      if (!drained.complete)
        logger.warn({ cut: drained.cut }, 'shutdown grace period over: cut the requests still running');
      await httpTransport.close();
      await store.close();
    })();
    return closing;
  };
  const closeNow = () => {
    hurry.abort();
    return close();
  };
  return { server, store, logger, close, closeNow };
}

function toProviderRuntime(provider: ProviderConfig, httpTransport: Transport): ProviderRuntime {
  const adapter = adapterFor(provider.type);
  const transport = adapter.createTransport?.(provider, httpTransport) ?? httpTransport;
  const baseUrl = ('baseUrl' in provider && provider.baseUrl ? provider.baseUrl : adapter.defaultBaseUrl).replace(
    /\/+$/,
    '',
  );
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
