import type { DeploymentCapabilities, ProviderAdapter } from '../types.ts';
import { parseOpenAIError } from './errors.ts';
import { buildOpenAIRequest } from './request.ts';
import { fromOpenAIChatCompletion } from './response.ts';
import { OpenAIStreamParser } from './stream.ts';

export interface OpenAICompatibleOptions {
  type: string;
  defaultBaseUrl: string;
  capabilitiesFor?: (model: string) => DeploymentCapabilities;
}

/** The shared base for every OpenAI-format upstream; variants differ only by these hooks. */
export function createOpenAICompatibleAdapter(options: OpenAICompatibleOptions): ProviderAdapter {
  return {
    type: options.type,
    defaultBaseUrl: options.defaultBaseUrl,
    speaksOpenAIChat: true,
    capabilitiesFor: options.capabilitiesFor ?? (() => ({ developerRoleUnsupported: true })),
    buildRequest: buildOpenAIRequest,
    parseResponse: (body) => fromOpenAIChatCompletion(body),
    createStreamParser: () => new OpenAIStreamParser(),
    parseError: parseOpenAIError,
  };
}

export const openAICompatibleAdapter = createOpenAICompatibleAdapter({
  type: 'openai-compatible',
  defaultBaseUrl: 'http://127.0.0.1:8000/v1',
});

export { preparePassthroughBody } from './passthrough.ts';
export { buildOpenAIHttpRequest } from './request.ts';
