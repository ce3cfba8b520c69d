import { dirname, join } from 'node:path';
import type { JsonObject } from '../core/types.ts';
import { isJsonValue } from './cross-check.ts';
import type {
  ConfigFile,
  DeploymentConfig,
  DisabledModel,
  LlmuxConfig,
  ModelConfig,
  ProviderConfig,
  StoreConfig,
} from './schema.ts';
import { STORE_DEFAULTS } from './schema.ts';

type FileModel = ConfigFile['models'][number];
type FileDeployment = FileModel['deployments'][number];

/**
 * Turns a validated, cross-checked file into the loaded config: providers get `enabled`, deployments on disabled
 * providers and models left without deployments are dropped (with a notice each), overrides are merged over the
 * router defaults. `apiKeyVariable` names the env variable a provider's apiKey came from, if it was one `${VAR}`.
 */
export function resolveConfig(
  file: ConfigFile,
  source: string,
  apiKeyVariable: (provider: string) => string | undefined,
): LlmuxConfig {
  const providers: Record<string, ProviderConfig> = {};
  const disabledReasons = new Map<string, string>();
  for (const [name, fileProvider] of Object.entries(file.providers)) {
    const provider = resolveProvider(name, fileProvider);
    providers[name] = provider;
    if (!provider.enabled) {
      const variable = apiKeyVariable(name);
      disabledReasons.set(name, `provider ${name} has no apiKey${variable === undefined ? '' : ` (set ${variable})`}`);
    }
  }

  const notices: string[] = [];
  const models: ModelConfig[] = [];
  const disabledModels: DisabledModel[] = [];
  for (const model of file.models) {
    const deployments: DeploymentConfig[] = [];
    const skipped: { deployment: FileDeployment; reason: string }[] = [];
    for (const deployment of model.deployments) {
      const provider = providers[deployment.provider];
      if (provider === undefined) throw new Error(`config: unknown provider ${deployment.provider} after checks`);
      const reason = disabledReasons.get(provider.name);
      if (reason === undefined) deployments.push(resolveDeployment(deployment, provider, model, file.router.timeouts));
      else skipped.push({ deployment, reason });
    }
    if (deployments.length === 0) {
      const reason = [...new Set(skipped.map((entry) => entry.reason))].join('; ');
      disabledModels.push({ name: model.name, reason });
      notices.push(`model ${model.name} disabled: ${reason}`);
      continue;
    }
    for (const { deployment, reason } of skipped) {
      notices.push(`model ${model.name}: deployment ${deployment.provider}/${deployment.model} skipped: ${reason}`);
    }
    models.push({
      name: model.name,
      strategy: model.strategy,
      deployments,
      fallbacks: model.fallbacks,
      retry: { ...file.router.retry, ...model.retry },
      timeouts: { ...file.router.timeouts, ...model.timeouts },
    });
  }

  const disabled = new Set(disabledModels.map((model) => model.name));
  for (const model of models) {
    const kept = model.fallbacks.filter((name) => !disabled.has(name));
    for (const name of model.fallbacks) {
      if (disabled.has(name)) notices.push(`model ${model.name}: fallback ${name} skipped (model ${name} is disabled)`);
    }
    model.fallbacks = kept;
  }

  return {
    source,
    server: file.server,
    store: resolveStore(file.store),
    logging: file.logging,
    providers,
    models,
    disabledModels,
    router: file.router,
    keys: file.keys,
    teams: file.teams,
    pricing: file.pricing,
    limits: file.limits,
    responses: file.responses,
    metrics: file.metrics,
    telemetry: file.telemetry,
    redis: file.redis === undefined || file.redis.trim() === '' ? undefined : file.redis.trim(),
    notices,
  };
}

function resolveProvider(name: string, fileProvider: ConfigFile['providers'][string]): ProviderConfig {
  const needsKey =
    fileProvider.type === 'openai' ||
    fileProvider.type === 'anthropic' ||
    fileProvider.type === 'gemini' ||
    fileProvider.type === 'azure';
  const provider: ProviderConfig = { ...fileProvider, name, enabled: !needsKey || fileProvider.apiKey !== '' };
  if ('baseUrl' in provider && provider.baseUrl !== undefined) {
    const baseUrl = provider.baseUrl.replace(/\/+$/, '');
    // An empty baseUrl (e.g. an unset `${VAR}`) means "use the adapter's default"; openai-compatible requires one.
    if (baseUrl !== '') provider.baseUrl = baseUrl;
    else if (provider.type !== 'openai-compatible') delete provider.baseUrl;
  }
  return provider;
}

function resolveDeployment(
  deployment: FileDeployment,
  provider: ProviderConfig,
  model: FileModel,
  routerTimeouts: ConfigFile['router']['timeouts'],
): DeploymentConfig {
  return {
    provider: deployment.provider,
    model: deployment.model,
    weight: deployment.weight,
    priority: deployment.priority,
    capabilities: { ...provider.capabilities, ...deployment.capabilities },
    bodyOverrides: toJsonObject(deployment.bodyOverrides),
    headers: { ...provider.headers, ...deployment.headers },
    timeouts: { ...routerTimeouts, ...provider.timeouts, ...model.timeouts },
  };
}

function resolveStore(store: ConfigFile['store']): StoreConfig {
  const flushIntervalMs = store.flushIntervalMs ?? STORE_DEFAULTS.flushIntervalMs;
  const syncIntervalMs = store.journalSyncMs ?? STORE_DEFAULTS.journalSyncMs;
  const retentionDays = store.retentionDays ?? 0;
  // `journal: false` reads as the text "false" (the reader keeps a scalar's spelling for a string field).
  const journalAt = (directory: string | null) =>
    directory === null || directory === 'false' ? null : { directory, syncIntervalMs };
  if (store.postgres !== undefined) {
    const directory = store.journal ?? join('data', STORE_DEFAULTS.journalName);
    return { kind: 'postgres', url: store.postgres, flushIntervalMs, journal: journalAt(directory), retentionDays };
  }
  const path = store.sqlite ?? './data/llmux.db';
  const directory = store.journal ?? defaultJournalNextTo(path);
  return { kind: 'sqlite', path, flushIntervalMs, journal: journalAt(directory), retentionDays };
}

/** Next to the SQLite file; none for an in-memory database (nothing survives a crash anyway). */
function defaultJournalNextTo(sqlitePath: string): string | null {
  if (sqlitePath === ':memory:' || sqlitePath.startsWith('file:')) return null;
  return join(dirname(sqlitePath), STORE_DEFAULTS.journalName);
}

function toJsonObject(record: Record<string, unknown>): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(record)) if (isJsonValue(value)) result[key] = value;
  return result;
}
