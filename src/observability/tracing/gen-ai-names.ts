/** `gen_ai.provider.name` values the GenAI conventions list, for providers llmux may be configured with. */
const WELL_KNOWN_BY_TYPE: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  azure: 'azure.ai.openai',
};

/** Well-known values an OpenAI-compatible provider may be named after in the config. */
const WELL_KNOWN_NAMES: Readonly<Record<string, string>> = {
  deepseek: 'deepseek',
  groq: 'groq',
  mistral: 'mistral_ai',
  mistral_ai: 'mistral_ai',
  mistralai: 'mistral_ai',
  xai: 'x_ai',
  x_ai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  bedrock: 'aws.bedrock',
  watsonx: 'ibm.watsonx.ai',
};

/**
 * The convention's value for a provider type, or for an OpenAI-compatible one the well-known value
 * its config name matches; otherwise the config name itself (a custom value, as the convention allows).
 */
export function genAiProviderName(providerName: string, type: string | undefined): string {
  const byType = type === undefined ? undefined : WELL_KNOWN_BY_TYPE[type];
  if (byType !== undefined) return byType;
  return WELL_KNOWN_NAMES[providerName.toLowerCase().replace(/[-.\s]/g, '_')] ?? providerName;
}

/** `gen_ai.operation.name` of a request by its inbound API. */
export function genAiOperationName(surface: string | null): string {
  if (surface === 'openai-embeddings') return 'embeddings';
  if (surface === 'gemini') return 'generate_content';
  return 'chat';
}
