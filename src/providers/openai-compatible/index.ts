import type { GatewayError } from '../../core/errors.ts';
import { sseStreamParser } from '../sse-parser.ts';
import type { DeploymentCapabilities, DeploymentTarget, ProviderAdapter, ProviderSettings } from '../types.ts';
import { createOpenAIEmbeddings } from './embeddings.ts';
import { parseOpenAIError } from './errors.ts';
import type { OpenAIBodyHooks, OpenAIEndpointHooks } from './hooks.ts';
import { createOpenAIChatPassthrough } from './passthrough-hooks.ts';
import { buildOpenAIRequest } from './request.ts';
import { fromOpenAIChatCompletion } from './response.ts';
import { createOpenAIResponsesPassthrough, RESPONSES_WIRE_FORMAT } from './responses-passthrough.ts';
import { OpenAIStreamParser } from './stream.ts';
import { fromOpenAIUsage } from './usage.ts';

export interface OpenAICompatibleOptions extends OpenAIBodyHooks, OpenAIEndpointHooks {
  type: string;
  defaultBaseUrl: string;
  capabilitiesFor?: (model: string) => DeploymentCapabilities;
  /**
   * Ask for usage on streams (`stream_options.include_usage`). Default true; false for servers
   * that reject `stream_options`. A deployment's `capabilities.streamUsage` overrides it.
   */
  streamUsage?: boolean;
  /** Upstream error → GatewayError; default `parseOpenAIError`, which an override may call for the usual cases. */
  parseError?: (
    status: number,
    body: string,
    headers: Record<string, string | string[] | undefined>,
    target: DeploymentTarget,
  ) => GatewayError;
  createTransport?: ProviderAdapter['createTransport'];
  baseUrlFor?: ProviderAdapter['baseUrlFor'];
  /**
   * Whether Responses API bodies pass through to `{baseUrl}/responses` when the provider's config
   * does not say (its `responsesApi` setting); default false (translated to Chat Completions).
   */
  responsesApi?: boolean;
}

const defaultCapabilities = (): DeploymentCapabilities => ({ developerRoleUnsupported: true });

/** The shared base for every OpenAI-format upstream; variants differ only by these hooks. */
export function createOpenAICompatibleAdapter(options: OpenAICompatibleOptions): ProviderAdapter {
  const { transformRequestBody } = options;
  const convertUsage = options.convertUsage ?? fromOpenAIUsage;
  const baseCapabilities = options.capabilitiesFor ?? defaultCapabilities;
  const adapter: ProviderAdapter = {
    type: options.type,
    defaultBaseUrl: options.defaultBaseUrl,
    wireFormat: 'openai-chat',
    passthrough: createOpenAIChatPassthrough(options),
    embeddings: createOpenAIEmbeddings(options),
    capabilitiesFor:
      options.streamUsage === false
        ? (model) => ({ ...baseCapabilities(model), streamUsage: false })
        : baseCapabilities,
    buildRequest:
      transformRequestBody || options.chatCompletionsUrl || options.authHeaders
        ? (request, target) => buildOpenAIRequest(request, target, transformRequestBody, options)
        : buildOpenAIRequest,
    parseResponse: (body) => fromOpenAIChatCompletion(body, convertUsage),
    createStreamParser: (_target, parserOptions) =>
      sseStreamParser(new OpenAIStreamParser(convertUsage), parserOptions),
    parseError: options.parseError ?? parseOpenAIError,
  };
  if (options.createTransport) adapter.createTransport = options.createTransport;
  if (options.baseUrlFor) adapter.baseUrlFor = options.baseUrlFor;
  return withResponsesApiSetting(adapter, options);
}

/**
 * The adapter as registered speaks the Responses API when `options.responsesApi` is true; a
 * provider's own `responsesApi` setting picks the variant that passes Responses bodies through or not.
 */
function withResponsesApiSetting(adapter: ProviderAdapter, options: OpenAICompatibleOptions): ProviderAdapter {
  const speaking: ProviderAdapter = {
    ...adapter,
    otherPassthroughs: { [RESPONSES_WIRE_FORMAT]: createOpenAIResponsesPassthrough(options) },
  };
  const forProvider = (settings: ProviderSettings): ProviderAdapter => {
    const speaks = typeof settings.responsesApi === 'boolean' ? settings.responsesApi : options.responsesApi === true;
    return speaks ? speaking : adapter;
  };
  speaking.forProvider = forProvider;
  adapter.forProvider = forProvider;
  return options.responsesApi === true ? speaking : adapter;
}

export const openAICompatibleAdapter = createOpenAICompatibleAdapter({
  type: 'openai-compatible',
  defaultBaseUrl: 'http://127.0.0.1:8000/v1',
});

export { parseOpenAIError } from './errors.ts';
