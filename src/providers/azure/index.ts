/**
 * Azure OpenAI: the OpenAI wire format (so OpenAI clients pass through), addressed the Azure way.
 *
 * - classic (default): `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version={apiVersion}`,
 *   the deployment's `model` being the Azure deployment name;
 * - `v1: true`: `{endpoint}/openai/v1/chat/completions`, the deployment name in the body's `model`, no api-version.
 *
 * Both take the key in an `api-key` header, not `Authorization: Bearer`.
 */
import { createOpenAICompatibleAdapter } from '../openai-compatible/index.ts';
import { joinUrlPath } from '../openai-compatible/request.ts';
import type { DeploymentCapabilities, DeploymentTarget, ProviderSettings } from '../types.ts';

/** The latest GA data-plane inference version. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/** The base URL from `endpoint`, `apiVersion` and `v1`: the api-version rides in its query. */
export function azureBaseUrl(settings: ProviderSettings): string {
  const endpoint = typeof settings.endpoint === 'string' ? settings.endpoint.replace(/\/+$/, '') : '';
  if (settings.v1 === true) return `${endpoint}/openai/v1`;
  const version =
    typeof settings.apiVersion === 'string' && settings.apiVersion ? settings.apiVersion : AZURE_DEFAULT_API_VERSION;
  return `${endpoint}/openai?api-version=${encodeURIComponent(version)}`;
}

/**
 * Deployment names are the operator's, often the model's name: o-series and GPT-5 ones want
 * `max_completion_tokens`. `developer` messages go as `system` (older api-versions reject the role);
 * a deployment's `capabilities` override both.
 */
function azureCapabilitiesFor(deployment: string): DeploymentCapabilities {
  return { maxCompletionTokensOnly: /^(o\d|gpt-5|codex-)/.test(deployment), developerRoleUnsupported: true };
}

/** Classic URLs name the deployment in the path; the v1 base URL (no api-version) takes it in the body. */
export function azureChatCompletionsUrl(target: DeploymentTarget): string {
  const classic = target.baseUrl.includes('?api-version=');
  const path = classic ? `/deployments/${encodeURIComponent(target.model)}/chat/completions` : '/chat/completions';
  return joinUrlPath(target.baseUrl, path);
}

export const azureAdapter = createOpenAICompatibleAdapter({
  type: 'azure',
  defaultBaseUrl: 'https://example-resource.openai.azure.com/openai/v1',
  capabilitiesFor: azureCapabilitiesFor,
  baseUrlFor: azureBaseUrl,
  chatCompletionsUrl: azureChatCompletionsUrl,
  authHeaders: (apiKey) => ({ 'api-key': apiKey }),
});
