import type { ChatRequest, JsonObject } from '../../core/types.ts';
import type { GeminiGenerationConfig } from '../../protocols/gemini.ts';
import type { Adjustments } from './adjustments.ts';
import type { GeminiModelTraits } from './models.ts';
import { toGeminiThinkingConfig } from './reasoning.ts';
import { toGeminiJsonSchema, toGeminiSchema } from './schema.ts';

/** Gemini takes at most 5 stop sequences (GEM-PROTO `stop_sequences`). */
export const MAX_STOP_SEQUENCES = 5;

/**
 * Sampling and output fields → `generationConfig`: max_tokens → maxOutputTokens, temperature,
 * top_p → topP, top_k → topK, seed, n → candidateCount, stop → stopSequences (first 5, warning
 * when cut), penalties (rejected by Gemini 2.5/3: unsupported there), logprobs → responseLogprobs
 * (+ top_logprobs → logprobs), response_format, reasoning_effort → thinkingConfig, and the OpenAI
 * `modalities` extra → responseModalities (upper-case, as Portkey and litellm do).
 */
export function toGeminiGenerationConfig(
  request: ChatRequest,
  traits: GeminiModelTraits,
  adjustments: Adjustments,
): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.n !== undefined && request.n > 1) config.candidateCount = request.n;
  if (request.stop?.length) {
    config.stopSequences = request.stop.slice(0, MAX_STOP_SEQUENCES);
    if (request.stop.length > MAX_STOP_SEQUENCES) {
      adjustments.warn(
        `stop: Gemini takes at most ${MAX_STOP_SEQUENCES} sequences; only the first ${MAX_STOP_SEQUENCES} were sent`,
      );
    }
  }
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.seed !== undefined) config.seed = request.seed;
  addPenalties(request, traits, adjustments, config);
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    if (request.topLogprobs !== undefined) config.logprobs = request.topLogprobs;
  } else if (request.topLogprobs !== undefined && request.topLogprobs > 0) {
    adjustments.warn('top_logprobs ignored: logprobs is not true');
  }
  addResponseFormat(request, traits, config);
  const thinking = toGeminiThinkingConfig(request.reasoning, traits, adjustments);
  if (thinking) config.thinkingConfig = thinking;
  const modalities = request.extraFields?.modalities;
  if (Array.isArray(modalities)) {
    config.responseModalities = modalities
      .filter((m): m is string => typeof m === 'string')
      .map((m) => m.toUpperCase());
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

function addPenalties(
  request: ChatRequest,
  traits: GeminiModelTraits,
  adjustments: Adjustments,
  config: GeminiGenerationConfig,
): void {
  const penalties = [
    ['presence_penalty', request.presencePenalty, 'presencePenalty'],
    ['frequency_penalty', request.frequencyPenalty, 'frequencyPenalty'],
  ] as const;
  for (const [param, value, field] of penalties) {
    if (value === undefined) continue;
    if (traits.penaltiesRejected && value !== 0) adjustments.unsupported(param, 'is not enabled for this Gemini model');
    else if (!traits.penaltiesRejected) config[field] = value;
  }
}

/**
 * json_object → responseMimeType application/json. json_schema → responseMimeType +
 * `responseJsonSchema` (plain JSON Schema, litellm's choice for 2.0+) or, for models without it,
 * `responseSchema` converted to the OpenAPI subset with propertyOrdering (so keys come back in the
 * client's order). `strict` has no Gemini field: structured output is always enforced.
 */
function addResponseFormat(request: ChatRequest, traits: GeminiModelTraits, config: GeminiGenerationConfig): void {
  const format = request.responseFormat;
  if (!format || format.type === 'text') return;
  config.responseMimeType = 'application/json';
  if (format.type !== 'json_schema' || !format.schema) return;
  const schema: JsonObject =
    format.description !== undefined && format.schema.description === undefined
      ? { ...format.schema, description: format.description }
      : format.schema;
  if (traits.jsonSchema) config.responseJsonSchema = toGeminiJsonSchema(schema);
  else config.responseSchema = toGeminiSchema(schema, { propertyOrdering: true });
}
