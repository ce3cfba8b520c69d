import { createOpenAICompatibleAdapter } from '../openai-compatible/index.ts';
import type { DeploymentCapabilities } from '../types.ts';

/** o-series and GPT-5 models reject `max_tokens` and want `max_completion_tokens`. */
const MAX_COMPLETION_TOKENS_ONLY = /^(o\d|gpt-5|codex-)/;

export function openAICapabilitiesFor(model: string): DeploymentCapabilities {
  return { maxCompletionTokensOnly: MAX_COMPLETION_TOKENS_ONLY.test(model), developerRoleUnsupported: false };
}

export const openAIAdapter = createOpenAICompatibleAdapter({
  type: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  capabilitiesFor: openAICapabilitiesFor,
  responsesApi: true,
});
