import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { LlmuxApp } from '../app.ts';
import { ConfigError, formatIssue, type LlmuxConfig, type ServerConfig } from '../config/index.ts';

/** `server` settings a reload applies; the others (port, host, front-door and size limits) need a restart. */
const LIVE_SERVER_SETTINGS: ReadonlySet<string> = new Set<keyof ServerConfig>(['maxChoices']);

export interface ReloadPlan {
  /** The config to run with: the new one, with the settings that need a restart kept as they are. */
  config: LlmuxConfig;
  /** The settings that changed but need a restart (`server.port`, `store`, …): ignored. */
  ignored: string[];
}

/** What a reload from `current` to `next` applies, and what it must leave for a restart. */
export function planReload(current: LlmuxConfig, next: LlmuxConfig): ReloadPlan {
  const ignored: string[] = [];
  for (const key of Object.keys(next.server) as Array<keyof ServerConfig>) {
    if (!LIVE_SERVER_SETTINGS.has(key) && !isDeepStrictEqual(current.server[key], next.server[key]))
      ignored.push(`server.${key}`);
  }
  if (!isDeepStrictEqual(current.store, next.store)) ignored.push('store');
  if (current.redis !== next.redis) ignored.push('redis');
  if (current.limits.redisTimeoutMs !== next.limits.redisTimeoutMs) ignored.push('limits.redisTimeoutMs');
  // The metrics registry and the log destination are built once, at start.
  if (!isDeepStrictEqual(current.metrics, next.metrics)) ignored.push('metrics');
  if (current.logging.format !== next.logging.format) ignored.push('logging.format');
  // The tracer and its exporter are built once, at start.
  if (!isDeepStrictEqual(current.telemetry, next.telemetry)) ignored.push('telemetry');
  return {
    config: {
      ...next,
      server: { ...current.server, maxChoices: next.server.maxChoices },
      store: current.store,
      redis: current.redis,
      limits: { ...next.limits, redisTimeoutMs: current.limits.redisTimeoutMs },
      metrics: current.metrics,
      telemetry: current.telemetry,
      logging: { ...next.logging, format: current.logging.format },
    },
    ignored,
  };
}

export function logReload(logger: Logger, plan: ReloadPlan): void {
  for (const notice of plan.config.notices) logger.info(notice);
  if (plan.ignored.length > 0) {
    logger.warn(
      { settings: plan.ignored },
      `config reload: ${plan.ignored.join(', ')} changed but take effect only after a restart; ignored`,
    );
  }
  logger.info(
    { source: plan.config.source, models: plan.config.models.map((model) => model.name) },
    'config reloaded: new requests use it, requests in flight finish on the old one',
  );
}

/**
 * Reads the config again (`load`, e.g. `loadConfig(path)` on SIGHUP) and applies it. A config that
 * does not load is rejected: each problem is logged on a line of its own and the running config
 * stays. Returns whether the new config was applied.
 */
export function reloadConfig(app: LlmuxApp, load: () => LlmuxConfig): boolean {
  let next: LlmuxConfig;
  try {
    next = load();
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      rejected(app.logger, [error instanceof Error ? error.message : String(error)]);
      return false;
    }
    rejected(
      app.logger,
      error.issues.map((issue) => `${error.source}: ${formatIssue(issue)}`),
    );
    return false;
  }
  try {
    app.reload(next);
    return true;
  } catch (error) {
    rejected(app.logger, [error instanceof Error ? error.message : String(error)]);
    return false;
  }
}

/** One line per problem, never a stack: the operator reads them to fix the file. */
function rejected(logger: Logger, problems: readonly string[]): void {
  for (const problem of problems) logger.error(`config reload rejected: ${problem}`);
  logger.error({ problems: problems.length }, 'config reload rejected: still serving with the config loaded before');
}
