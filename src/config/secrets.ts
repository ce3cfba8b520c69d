import type { LlmuxConfig } from './schema.ts';

/** Header names whose values are credentials (`authorization`, `x-api-key`, `api-key`, `x-goog-api-key`, …). */
const CREDENTIAL_HEADER = /auth|key|token|secret|password|cookie/i;

/**
 * Every credential the config holds: provider API keys, credential-like provider and deployment
 * headers, llmux client, admin and metrics keys, the Postgres and Redis passwords. These must never reach a client or a log.
 */
export function configSecrets(config: LlmuxConfig): string[] {
  const secrets: string[] = [];
  const addHeaders = (headers: Record<string, string>): void => {
    for (const [name, value] of Object.entries(headers)) {
      if (CREDENTIAL_HEADER.test(name)) secrets.push(value, value.replace(/^\s*(Bearer|Basic|Token)\s+/i, ''));
    }
  };
  for (const provider of Object.values(config.providers)) {
    if ('apiKey' in provider && provider.apiKey) secrets.push(provider.apiKey);
    addHeaders(provider.headers);
  }
  for (const model of config.models) for (const deployment of model.deployments) addHeaders(deployment.headers);
  for (const key of config.keys) secrets.push(key.key);
  if (config.server.adminKey !== undefined) secrets.push(config.server.adminKey);
  if (config.server.metricsKey !== undefined) secrets.push(config.server.metricsKey);
  if (config.store.kind === 'postgres') secrets.push(urlPassword(config.store.url));
  if (config.redis !== undefined) secrets.push(urlPassword(config.redis));
  // Any OTLP header may be a credential (vendors name theirs freely: `x-honeycomb-team`, `signoz-ingestion-key`).
  for (const value of Object.values(config.telemetry.otlp?.headers ?? {})) secrets.push(value);
  if (config.telemetry.otlp !== undefined) secrets.push(urlPassword(config.telemetry.otlp.endpoint));
  return secrets.filter((secret) => secret !== '');
}

function urlPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
