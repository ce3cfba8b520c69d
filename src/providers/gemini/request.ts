import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, JsonObject, JsonValue } from '../../core/types.ts';
import type { GeminiRequest } from '../../protocols/gemini.ts';
import { classifyExtraFields } from '../openai-extra-fields.ts';
import type { BuiltRequest, DeploymentTarget } from '../types.ts';
import { Adjustments } from './adjustments.ts';
import { toGeminiContents } from './contents.ts';
import { toGeminiGenerationConfig } from './generation-config.ts';
import { mergeGeminiBody } from './merge.ts';
import { geminiModelTraits } from './models.ts';
import { toGeminiToolConfig, toGeminiTools } from './tools.ts';

/** OpenAI fields without a canonical field that Gemini still maps (generation-config.ts). */
const MAPPED_EXTRA_FIELDS = new Set(['modalities']);

/** Canonical request → the Gemini `generateContent` body (before provider options and overrides). */
export function toGeminiRequest(
  request: ChatRequest,
  target: DeploymentTarget,
  adjustments: Adjustments,
): GeminiRequest {
  const traits = geminiModelTraits(target.model);
  const { systemInstruction, contents } = toGeminiContents(request.messages, traits, adjustments);
  const body: GeminiRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = toGeminiTools(request, traits);
  if (tools) body.tools = tools;
  const toolConfig = toGeminiToolConfig(request, traits, adjustments);
  if (toolConfig) body.toolConfig = toolConfig;
  const generationConfig = toGeminiGenerationConfig(request, traits, adjustments);
  if (generationConfig) body.generationConfig = generationConfig;
  if (request.logitBias !== undefined && Object.keys(request.logitBias).length > 0) {
    adjustments.unsupported('logit_bias', 'has no Gemini equivalent');
  }
  if (request.serviceTier !== undefined) adjustments.warn('service_tier ignored (no Gemini API equivalent)');
  if (request.user !== undefined) adjustments.warn('user ignored (no Gemini API equivalent)');
  if (request.metadata !== undefined) adjustments.warn('metadata ignored (no Gemini API equivalent)');
  for (const { field, kind } of classifyExtraFields(request.extraFields, MAPPED_EXTRA_FIELDS)) {
    if (kind === 'hint') adjustments.warn(`${field} ignored (no Gemini API equivalent)`);
    else adjustments.unsupported(field, 'has no Gemini equivalent');
  }
  return body;
}

/**
 * Client `provider_options.gemini` and deployment `bodyOverrides` are merged over the mapped body,
 * in that order: the deployment wins over the client (an operator's safetySettings cannot be
 * loosened by a caller), and both win over what llmux mapped. Objects merge key by key (see
 * merge.ts; thinkingConfig and schemas are replaced whole), `null` removes a key, and `tools`
 * entries are appended (e.g. `{googleSearch: {}}` next to the function declarations). Every value
 * the deployment changed is listed in the warnings.
 */
export function applyGeminiOverrides(
  body: JsonObject,
  request: ChatRequest,
  target: DeploymentTarget,
  adjustments: Adjustments,
): JsonObject {
  let out = body;
  const client = request.providerOptions?.gemini;
  if (client) out = mergeWithTools(out, client, () => {});
  if (target.bodyOverrides) {
    out = mergeWithTools(out, target.bodyOverrides, (path) =>
      adjustments.warn(`${path} set by the deployment's bodyOverrides`),
    );
  }
  return out;
}

function mergeWithTools(base: JsonObject, overlay: JsonObject, onReplace: (path: string) => void): JsonObject {
  const { tools, ...rest } = overlay;
  const merged = mergeGeminiBody(base, rest, onReplace);
  if (Array.isArray(tools)) merged.tools = [...(Array.isArray(merged.tools) ? merged.tools : []), ...tools];
  return merged;
}

/**
 * `{baseUrl}/v1beta/models/{model}:generateContent`, or `:streamGenerateContent?alt=sse` when
 * streaming. A base URL that already ends with an API version (`/v1beta`, `/v1`, `/v1alpha`) is used
 * as is. `models/…` and `tunedModels/…` model names keep their prefix.
 */
export function geminiUrl(baseUrl: string, model: string, stream: boolean): string {
  const base = baseUrl.replace(/\/+$/, '');
  const versioned = /\/v1(?:alpha|beta\d*)?$/.test(base) ? base : `${base}/v1beta`;
  const path = /^(?:models|tunedModels)\//.test(model) ? model : `models/${model}`;
  const segments = path.split('/');
  // URL parsing resolves dot segments: the request, with the API key, would go to another path.
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new GatewayError('invalid_request', `Invalid value for 'model': '${model}' has '.' or '..' path segments.`, {
      param: 'model',
      reason: 'invalid_value',
    });
  }
  const encoded = segments.map(encodeURIComponent).join('/');
  return `${versioned}/${encoded}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
}

/** Canonical request → upstream HTTP request (API key in `x-goog-api-key`, never in the URL). */
export function buildGeminiRequest(request: ChatRequest, target: DeploymentTarget): BuiltRequest {
  const adjustments = new Adjustments(target.capabilities.dropUnsupported === true, target.providerName);
  const mapped = toGeminiRequest(request, target, adjustments) as unknown as JsonObject;
  const body: JsonValue = applyGeminiOverrides(mapped, request, target, adjustments);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  return {
    request: {
      method: 'POST',
      url: geminiUrl(target.baseUrl, target.model, request.stream),
      headers,
      body: JSON.stringify(body),
    },
    warnings: adjustments.warnings,
  };
}
