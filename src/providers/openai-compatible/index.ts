import type { GatewayError } from '../../core/errors.ts';
import { sseStreamParser } from '../sse-parser.ts';
import type { DeploymentCapabilities, DeploymentTarget, ProviderAdapter } from '../types.ts';
import { createOpenAIEmbeddings } from './embeddings.ts';
import { parseOpenAIError } from './errors.ts';
import type { OpenAIBodyHooks, OpenAIEndpointHooks } from './hooks.ts';
import { createOpenAIChatPassthrough } from './passthrough-hooks.ts';
import { buildOpenAIRequest } from './request.ts';
import { fromOpenAIChatCompletion } from './response.ts';
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
  return adapter;
}

export const openAICompatibleAdapter = createOpenAICompatibleAdapter({
  type: 'openai-compatible',
  defaultBaseUrl: 'http://127.0.0.1:8000/v1',
});

export { parseOpenAIError } from './errors.ts';
