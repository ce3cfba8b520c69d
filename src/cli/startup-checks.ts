import type { LlmuxConfig } from '../config/index.ts';

/** Keys published in the sample config and the README: anyone can present them. */
const SAMPLE_KEYS = new Set(['sk-llmux-dev']);
/** The sample config's admin key (the console's sign-in), as published. */
const SAMPLE_ADMIN_KEY = 'sk-llmux-admin-dev';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Why llmux must not start with this config, as one sentence naming the setting to change; undefined
 * when it may. A published key on a reachable address is an open relay to the operator's providers
 * (a published admin key, to its keys and budgets too).
 */
export function startupRefusal(config: LlmuxConfig): string | undefined {
  const { host, allowSampleKeys, adminKey } = config.server;
  if (allowSampleKeys === true || isLoopbackHost(host)) return undefined;
  const howToFix = `listen on 127.0.0.1 (server.host or --host), or set server.allowSampleKeys: true`;
  if (adminKey === SAMPLE_ADMIN_KEY) {
    return (
      `refusing to listen on ${host} (beyond loopback): server.adminKey is the sample admin key from ` +
      `llmux.yaml, which anyone can present. Set your own (LLMUX_ADMIN_KEY in the sample config), ${howToFix}`
    );
  }
  const index = config.keys.findIndex((key) => SAMPLE_KEYS.has(key.key));
  if (index < 0) return undefined;
  const key = config.keys[index];
  return (
    `refusing to listen on ${host} (beyond loopback): keys[${index}] ("${key?.name}") is the sample key ` +
    `from llmux.yaml, which anyone can present. Set your own key (LLMUX_DEV_KEY in the sample config, ` +
    `or keys[${index}].key), ${howToFix}`
  );
}

/** Configs that start but cannot serve anything: said at start instead of discovered as 401s and 404s. */
export function startupWarnings(config: LlmuxConfig): string[] {
  const warnings: string[] = [];
  if (config.keys.length === 0) warnings.push('no keys configured: every request will be refused (401); add keys');
  if (config.models.length === 0) {
    const disabled = config.disabledModels.length;
    warnings.push(
      disabled === 0
        ? 'no models configured: every request will answer 404; add models'
        : `no model is usable (${disabled} disabled, see the notices above): every request will fail; set the missing provider keys`,
    );
  }
  return warnings;
}
