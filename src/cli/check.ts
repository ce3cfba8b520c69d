import { ConfigError, type LlmuxConfig, loadConfig } from '../config/index.ts';

export interface CheckResult {
  /** 0: valid · 2: invalid (the errors are in `output`). */
  exitCode: 0 | 2;
  output: string;
}

/** `llmux check --config FILE`: validates the file and describes what it resolves to. No secrets are printed. */
export function checkConfig(path: string, env: NodeJS.ProcessEnv = process.env): CheckResult {
  let config: LlmuxConfig;
  try {
    config = loadConfig(path, env);
  } catch (error) {
    if (error instanceof ConfigError) return { exitCode: 2, output: error.message };
    throw error;
  }
  return { exitCode: 0, output: describeConfig(config) };
}

export function describeConfig(config: LlmuxConfig): string {
  const lines = [`${config.source}: valid`, '', 'providers:'];
  const providers = Object.values(config.providers);
  if (providers.length === 0) lines.push('  (none)');
  for (const provider of providers) {
    const state = provider.enabled ? 'enabled' : 'disabled: no apiKey';
    lines.push(`  ${provider.name} (${provider.type}): ${state}`);
  }
  lines.push('', 'models:');
  if (config.models.length === 0) lines.push('  (none)');
  for (const model of config.models) {
    lines.push(
      `  ${model.name} (${model.strategy})${model.fallbacks.length > 0 ? ` → fallbacks ${model.fallbacks.join(', ')}` : ''}`,
    );
    for (const deployment of model.deployments) {
      lines.push(
        `    ${deployment.provider}/${deployment.model} weight ${deployment.weight} priority ${deployment.priority}`,
      );
    }
  }
  if (config.disabledModels.length > 0) {
    lines.push('', 'disabled models:');
    for (const model of config.disabledModels) lines.push(`  ${model.name}: ${model.reason}`);
  }
  const skipped = config.notices.filter(
    (notice) => !config.disabledModels.some((model) => notice.startsWith(`model ${model.name} disabled:`)),
  );
  if (skipped.length > 0) {
    lines.push('', 'notices:');
    for (const notice of skipped) lines.push(`  ${notice}`);
  }
  lines.push('', `keys: ${config.keys.length === 0 ? '(none)' : config.keys.map((key) => key.name).join(', ')}`);
  lines.push(`store: ${config.store.kind}${config.store.kind === 'sqlite' ? ` ${config.store.path}` : ''}`);
  lines.push(`listening on: ${config.server.host}:${config.server.port}`);
  return lines.join('\n');
}
