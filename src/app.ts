import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAdminRoutes } from './admin/register-admin.ts';
import { logReload, planReload, type ReloadPlan } from './app/reload.ts';
import { buildRuntime, deploymentStates, type Runtime } from './app/runtime.ts';
import { startTenancy, type TenancyServices } from './app/tenancy.ts';
import { startTracing } from './app/tracing.ts';
import type { LlmuxConfig } from './config/index.ts';
import { configSecrets } from './config/secrets.ts';
import { InFlightRequests } from './gateway/in-flight-requests.ts';
import { ShutdownCutoff } from './gateway/shutdown-cutoff.ts';
import { createLogger } from './lib/logger.ts';
import { registerSecrets } from './lib/redact.ts';
import { createGatewayMetrics } from './observability/metrics.ts';
import type { RequestPolicy } from './policy/admission.ts';
import { countTextsTokens } from './policy/estimate/index.ts';
import { buildServer, type SurfaceRoute } from './server/build-server.ts';
import { closeGracefully } from './server/graceful-close.ts';
import { openStore } from './store/open-store.ts';
import { startResponseRetention } from './store/response-retention.ts';
import { startRetention } from './store/retention.ts';
import type { RequestLogRecord, Store } from './store/types.ts';
import { createUndiciTransport } from './upstream/undici-transport.ts';

export interface LlmuxApp {
  server: FastifyInstance;
  store: Store;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), flushes the store. */
  close(): Promise<void>;
  /** Like close(), but cuts the requests in flight at once (they are still recorded); hurries a close() under way. */
  closeNow(): Promise<void>;
  /**
   * Serves new requests with `config` (providers, models, keys, router, `server.maxChoices`); the
   * requests in flight finish on the config they started with. Settings that need a restart
   * (`server.port`, `store`, …) are kept, named in the result and in a warning.
   */
  reload(config: LlmuxConfig): ReloadPlan;
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
  const logger =
    options.logger ??
    createLogger(process.env.LLMUX_LOG_LEVEL ?? config.logging.level, undefined, config.logging.format);
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
  const retention = startRetention(store, {
    days: config.store.retentionDays,
    onPruned: (deleted) => logger.info({ deleted, retentionDays: config.store.retentionDays }, 'request log pruned'),
    onError: (error) => logger.error({ err: error }, 'request log pruning failed'),
  });
  const responseRetention = startResponseRetention(store.responses, {
    onPurged: (deleted) => logger.info({ deleted }, 'stored responses past responses.retentionDays purged'),
    onError: (error) => logger.error({ err: error }, 'stored responses purge failed'),
  });
  const mib = (value: number) => Math.round(value * 1024 * 1024);
  const httpTransport = createUndiciTransport({
    limits: {
      maxResponseBytes: mib(config.server.maxUpstreamResponseMb),
      maxEventBytes: mib(config.server.maxUpstreamEventMb),
      maxErrorBodyBytes: mib(config.server.maxUpstreamErrorMb),
    },
  });
  let tenancy: TenancyServices;
  try {
    tenancy = await startTenancy(config, store, logger);
  } catch (error) {
    await Promise.all([httpTransport.close(), retention.stop(), responseRetention.stop(), store.close()]).catch(
      () => undefined,
    );
    throw error;
  }
  const { keys, limiter } = tenancy;
  const runtimeDeps = {
    keys,
    limiter,
    cooldowns: tenancy.cooldowns,
    logger,
    httpTransport,
    policy: options.policy,
    writeRecord: (record: RequestLogRecord) => store.requestLog.record(record),
  };
  // Swapped whole by reload(); the server reads it through the getters below, once per request.
  let runtime: Runtime = buildRuntime(config, runtimeDeps);
  const inFlight = new InFlightRequests();
  const metrics = config.metrics.enabled
    ? createGatewayMetrics({
        keyLabel: config.metrics.keyLabel,
        sources: {
          inFlight: () => inFlight.size,
          requestLog: () => store.requestLog.stats(),
          deploymentStates: () => deploymentStates(runtime),
          isPublicModel: (name) => runtime.catalogue.get(name) !== undefined,
        },
      })
    : undefined;
  const tracer = await startTracing(config, logger, () => runtime.providers);
  let closing: Promise<void> | undefined;
  const shutdown = new ShutdownCutoff();
  const server = buildServer({
    logger,
    get keys() {
      return runtime.keys;
    },
    get catalogue() {
      return runtime.catalogue;
    },
    get providers() {
      return runtime.providers;
    },
    bodyLimitBytes: mib(config.server.bodyLimitMb),
    limits: {
      headersTimeoutMs: config.server.headersTimeoutMs,
      bodyTimeoutMs: config.server.bodyTimeoutMs,
      maxConnections: config.server.maxConnections,
      maxUnauthenticatedPerIp: config.server.maxUnauthenticatedPerIp,
      maxInflightBodyBytes: mib(config.server.maxInflightBodyMb),
    },
    get maxChoices() {
      return runtime.config.server.maxChoices;
    },
    get disabledModels() {
      return runtime.disabledModels;
    },
    get router() {
      return runtime.router;
    },
    shutdown,
    get policy() {
      return runtime.policy;
    },
    surfaces: options.surfaces ?? [],
    ...(config.server.cors === undefined ? {} : { cors: config.server.cors }),
    pingStore: () => store.ping(),
    storedResponses: {
      store: store.responses,
      retentionDays: config.responses.retentionDays,
      maxStoredBytes: mib(config.responses.maxStoredMb),
      logger,
    },
    limiter,
    countTokens: countTextsTokens,
    trackRequest: () => inFlight.begin(),
    isShuttingDown: () => closing !== undefined,
    tracing: tracer,
    ...(metrics === undefined ? {} : { metrics: { metrics, key: config.server.metricsKey } }),
  });
  registerAdminRoutes(server, {
    adminKey: config.server.adminKey,
    store,
    directory: keys,
    limiter,
    models: () => ({
      catalogue: runtime.catalogue,
      router: runtime.router,
      prices: runtime.prices,
      providerType: (name) => runtime.providers.get(name)?.type,
    }),
    playground: server.servePlayground,
  });
  const connections = server.connectionTracker;

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
      // Every request is recorded by now: its spans leave with this last export.
      await tracer?.shutdown();
      await httpTransport.close();
      await retention.stop();
      await responseRetention.stop();
      await tenancy.close();
      await store.close();
    })();
    return closing;
  };
  const closeNow = () => {
    hurry.abort();
    return close();
  };
  const reload = (next: LlmuxConfig): ReloadPlan => {
    const plan = planReload(runtime.config, next);
    registerSecrets(configSecrets(plan.config));
    runtime = buildRuntime(plan.config, runtimeDeps, runtime);
    if (options.logger === undefined && process.env.LLMUX_LOG_LEVEL === undefined)
      logger.level = plan.config.logging.level;
    logReload(logger, plan);
    return plan;
  };
  return { server, store, logger, close, closeNow, reload };
}
