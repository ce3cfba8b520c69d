/**
 * A validated Responses request → the canonical request, with the warnings of what it left out
 * (every deployment is translated for now: no provider speaks the Responses API yet).
 *
 * | Responses field | canonical |
 * |---|---|
 * | instructions, input | messages (to-canonical-input.ts) |
 * | tools and `additional_tools` input items (function, custom, namespace groups flattened) | tools (tool-catalog.ts) |
 * | tools (web_search, file_search, … OpenAI's own) | dropped with a warning: only OpenAI runs them |
 * | tool_choice auto / none / required / {type: function} | the same; another forced tool: dropped with a warning |
 * | parallel_tool_calls, max_output_tokens, temperature, top_p, user, service_tier | parallelToolCalls, maxOutputTokens, temperature, topP, user, serviceTier |
 * | text.format json_schema / json_object | responseFormat |
 * | reasoning.effort, reasoning.summary | reasoning.effort, includeThoughts |
 * | metadata | metadata |
 * | include reasoning.encrypted_content | read by the renderers (reasoning items carry it) |
 * | store, previous_response_id | kept and replayed by the route (response-store.ts): nothing to map |
 * | client_metadata, text.verbosity, reasoning.context, truncation auto, other include values | ignored with a warning |
 * | stream_options, background false, truncation disabled | nothing to do |
 * | any other field (prompt_cache_key, safety_identifier, top_logprobs, …) | extraFields: the target maps it, or refuses / drops it with a warning |
 */
import type {
  ChatRequest,
  JsonObject,
  ReasoningEffort,
  ReasoningSettings,
  ResponseFormat,
  ToolChoice,
} from '../../core/types.ts';
import type { ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import { inputToCanonical } from './to-canonical-input.ts';
import { toolCatalog } from './tool-catalog.ts';
import { isObject } from './validate-helpers.ts';

export const ENCRYPTED_REASONING = 'reasoning.encrypted_content';

/** Fields this file maps or deliberately ignores; anything else becomes an extra field. */
const HANDLED = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'metadata',
  'include',
  'store',
  'previous_response_id',
  'stream',
  'stream_options',
  'user',
  'service_tier',
  'background',
  'truncation',
  'client_metadata',
]);

export interface CanonicalConversion {
  request: ChatRequest;
  /** What the conversion left out, for `x-llmux-warnings`. */
  warnings: string[];
}

export function fromResponsesRequest(body: ResponsesRequestBody): CanonicalConversion {
  const warnings: string[] = [];
  const request: ChatRequest = {
    model: body.model,
    messages: inputToCanonical(body),
    stream: body.stream === true,
    includeUsage: true,
  };
  const catalog = toolCatalog(body);
  if (catalog.tools.length > 0) request.tools = catalog.tools;
  if (catalog.dropped.length > 0) {
    warnings.push(
      `tools dropped (OpenAI's own tools, this model is not served by OpenAI): ${catalog.dropped.join(', ')}`,
    );
  }
  const choice = toToolChoice(body.tool_choice, warnings);
  if (choice) request.toolChoice = choice;
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  const format = toResponseFormat(body.text);
  if (format) request.responseFormat = format;
  if (isObject(body.text) && body.text.verbosity != null) warnings.push('text.verbosity ignored');
  const reasoning = toReasoning(body.reasoning, warnings);
  if (reasoning) request.reasoning = reasoning;
  if (typeof body.max_output_tokens === 'number') request.maxOutputTokens = body.max_output_tokens;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.top_p === 'number') request.topP = body.top_p;
  if (isObject(body.metadata) && Object.keys(body.metadata).length > 0) request.metadata = body.metadata;
  if (typeof body.user === 'string' && body.user !== '') request.user = body.user;
  if (typeof body.service_tier === 'string') request.serviceTier = body.service_tier;
  for (const value of body.include ?? []) {
    if (value !== ENCRYPTED_REASONING) warnings.push(`include '${value}' ignored`);
  }
  if (body.truncation === 'auto') warnings.push('truncation auto ignored: the whole input is sent');
  if (body.client_metadata != null) warnings.push('client_metadata ignored');
  const extra: JsonObject = {};
  for (const [field, value] of Object.entries(body)) {
    if (!HANDLED.has(field) && value !== undefined) extra[field] = value as JsonObject[string];
  }
  if (Object.keys(extra).length > 0) request.extraFields = extra;
  return { request, warnings };
}

function toToolChoice(choice: ResponsesRequestBody['tool_choice'], warnings: string[]): ToolChoice | undefined {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  if (!isObject(choice)) return undefined;
  if ((choice.type === 'function' || choice.type === 'custom') && typeof choice.name === 'string') {
    return { type: 'function', name: choice.name };
  }
  warnings.push(`tool_choice '${String(choice.type)}' dropped (not a function tool): auto instead`);
  return undefined;
}

function toResponseFormat(text: ResponsesRequestBody['text']): ResponseFormat | undefined {
  const format = isObject(text) ? text.format : undefined;
  if (!isObject(format)) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type !== 'json_schema') return undefined;
  const out: ResponseFormat = { type: 'json_schema', name: format.name as string, schema: format.schema as JsonObject };
  if (typeof format.description === 'string') out.description = format.description;
  if (typeof format.strict === 'boolean') out.strict = format.strict;
  return out;
}

function toReasoning(reasoning: ResponsesRequestBody['reasoning'], warnings: string[]): ReasoningSettings | undefined {
  if (!isObject(reasoning)) return undefined;
  const out: ReasoningSettings = {};
  if (typeof reasoning.effort === 'string') out.effort = reasoning.effort as ReasoningEffort;
  if (typeof reasoning.summary === 'string') out.includeThoughts = true;
  for (const key of Object.keys(reasoning)) {
    if (key !== 'effort' && key !== 'summary' && reasoning[key] != null) warnings.push(`reasoning.${key} ignored`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
