import type { JsonValue } from '../core/types.ts';
import type { PathSegment } from './errors.ts';
import type { ConfigFile } from './schema.ts';

type Report = (path: PathSegment[], message: string) => void;

const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Checks that need more than one field: references, uniqueness, URLs. Never echoes secret values. */
export function crossCheck(file: ConfigFile, report: Report): void {
  checkStore(file, report);
  checkProviders(file, report);
  checkModels(file, report);
  checkKeys(file, report);
  checkTeams(file, report);
  checkRedis(file, report);
  checkMetricsKey(file, report);
}

function checkStore({ store }: ConfigFile, report: Report): void {
  const given = [store.sqlite, store.postgres].filter((value) => value !== undefined).length;
  if (given !== 1) report(['store'], 'set exactly one of sqlite, postgres');
  if (store.postgres !== undefined && !/^postgres(ql)?:\/\//.test(store.postgres)) {
    report(['store', 'postgres'], 'must be a postgres:// or postgresql:// URL');
  }
}

function checkProviders({ providers }: ConfigFile, report: Report): void {
  for (const [name, provider] of Object.entries(providers)) {
    if (!PROVIDER_NAME.test(name)) {
      report(
        ['providers', name],
        'name must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
      );
    }
    if (provider.type === 'azure') {
      // Both empty (unset `${VAR}`s): disabled for its missing key, like any keyed provider.
      const unset = provider.endpoint === '' && provider.apiKey === '';
      if (!unset && !isHttpUrl(provider.endpoint))
        report(['providers', name, 'endpoint'], 'must be an http(s) URL (https://{resource}.openai.azure.com)');
      continue;
    }
    if (provider.type === 'simulator' || provider.baseUrl === undefined) continue;
    if (provider.baseUrl === '') {
      if (provider.type === 'openai-compatible') report(['providers', name, 'baseUrl'], 'required');
    } else if (!isHttpUrl(provider.baseUrl)) {
      report(['providers', name, 'baseUrl'], 'must be an http(s) URL');
    }
  }
}

function checkModels({ models, providers }: ConfigFile, report: Report): void {
  const known = Object.keys(providers);
  const firstIndex = new Map<string, number>();
  models.forEach((model, index) => {
    const path = ['models', index];
    const wildcards = model.name.split('*').length - 1;
    if (wildcards > 1) report([...path, 'name'], 'may contain at most one "*"');
    const first = firstIndex.get(model.name);
    if (first === undefined) firstIndex.set(model.name, index);
    else report([...path, 'name'], `duplicate model name "${model.name}" (also models[${first}])`);
    model.deployments.forEach((deployment, position) => {
      const at = [...path, 'deployments', position];
      if (!Object.hasOwn(providers, deployment.provider)) {
        report([...at, 'provider'], `unknown provider "${deployment.provider}" (known: ${known.join(', ') || 'none'})`);
      }
      if (deployment.model.includes('*') && wildcards === 0) {
        report([...at, 'model'], '"*" is only allowed when the model name contains "*"');
      }
      for (const [key, value] of Object.entries(deployment.bodyOverrides)) {
        if (!isJsonValue(value)) report([...at, 'bodyOverrides', key], 'must be plain JSON data');
      }
    });
  });
  models.forEach((model, index) => {
    model.fallbacks.forEach((fallback, position) => {
      const at: PathSegment[] = ['models', index, 'fallbacks', position];
      if (fallback === model.name) report(at, 'a model cannot fall back to itself');
      else if (!firstIndex.has(fallback)) report(at, `unknown model "${fallback}"`);
    });
  });
}

function checkKeys({ keys, teams: declared }: ConfigFile, report: Report): void {
  const teams = new Set(declared.map((team) => team.name));
  const names = new Map<string, number>();
  const values = new Map<string, number>();
  keys.forEach((key, index) => {
    const sameName = names.get(key.name);
    if (sameName === undefined) names.set(key.name, index);
    else report(['keys', index, 'name'], `duplicate key name "${key.name}" (also keys[${sameName}])`);
    const sameValue = values.get(key.key);
    if (sameValue === undefined) values.set(key.key, index);
    else report(['keys', index, 'key'], `same key as keys[${sameValue}]`);
    if (key.team !== undefined && !teams.has(key.team)) {
      report(['keys', index, 'team'], `unknown team "${key.team}" (declare it under teams:)`);
    }
    if (key.expiresAt !== undefined && !isIsoInstant(key.expiresAt)) {
      report(['keys', index, 'expiresAt'], 'expected an ISO 8601 instant such as "2027-01-01T00:00:00Z"');
    }
  });
}

function checkTeams({ teams }: ConfigFile, report: Report): void {
  const names = new Map<string, number>();
  teams.forEach((team, index) => {
    const same = names.get(team.name);
    if (same === undefined) names.set(team.name, index);
    else report(['teams', index, 'name'], `duplicate team name "${team.name}" (also teams[${same}])`);
  });
}

/** A scraper holds the metrics key: it must open nothing else (a client or admin key must not double as it). */
function checkMetricsKey({ server, keys }: ConfigFile, report: Report): void {
  const metricsKey = server.metricsKey;
  if (metricsKey === undefined) return;
  if (metricsKey === server.adminKey) report(['server', 'metricsKey'], 'must differ from server.adminKey');
  const index = keys.findIndex((key) => key.key === metricsKey);
  if (index >= 0) report(['server', 'metricsKey'], `must differ from every client key (same as keys[${index}])`);
}

function checkRedis({ redis }: ConfigFile, report: Report): void {
  if (redis === undefined || redis.trim() === '') return;
  let protocol: string | undefined;
  try {
    protocol = new URL(redis.trim()).protocol;
  } catch {}
  if (protocol !== 'redis:' && protocol !== 'rediss:') report(['redis'], 'expected a redis:// or rediss:// URL');
}

/** An ISO 8601 date-time with an explicit zone (Z or ±hh:mm). */
export function isIsoInstant(text: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))
  );
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isJsonValue);
}
