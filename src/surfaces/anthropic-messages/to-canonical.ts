/**
 * A validated Anthropic Messages request → the canonical request (used when the deployment is
 * not Anthropic; an Anthropic deployment gets the body as sent).
 *
 * | Messages field | canonical |
 * |---|---|
 * | system, messages | messages (to-canonical-messages.ts) |
 * | max_tokens, stop_sequences, temperature, top_p, top_k | maxOutputTokens, stop, temperature, topP, topK |
 * | tools (custom) | tools, `cache_control` as the cache hint; `defer_loading` ignored (the tool is declared) |
 * | tools (server tools: web_search, code_execution, …) | refused: they run only on Anthropic |
 * | tool_choice auto / any / tool / none | auto / required / function / none |
 * | tool_choice.disable_parallel_tool_use | parallelToolCalls: false |
 * | thinking enabled + budget_tokens | reasoning.budgetTokens, and an effort from the budget |
 * | thinking adaptive (+ output_config.effort) | reasoning.effort (max → xhigh) |
 * | output_config.format (json_schema) | responseFormat json_schema |
 * | metadata.user_id | user |
 * | service_tier auto / standard_only | serviceTier auto / default |
 * | any other top-level field (context_management, container, mcp_servers, …) | extraFields: the target maps it, or refuses / drops it with a warning |
 */
import { GatewayError } from '../../core/errors.ts';
import type {
  ChatRequest,
  JsonObject,
  ReasoningEffort,
  ReasoningSettings,
  ToolChoice,
  ToolDefinition,
} from '../../core/types.ts';
import type { AnthropicRequestBody } from '../../protocols/anthropic-messages.ts';
import { messagesToCanonical, systemToCanonical } from './to-canonical-messages.ts';
import { isObject } from './validate-helpers.ts';

/** Top-level fields this file maps; anything else becomes an extra field. */
const MAPPED = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'metadata',
  'service_tier',
  'stream',
]);

const EFFORTS: Record<string, ReasoningEffort> = {
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'xhigh',
};

export function fromAnthropicMessagesRequest(body: AnthropicRequestBody): ChatRequest {
  const record = body as unknown as Record<string, unknown>;
  const request: ChatRequest = {
    model: body.model,
    messages: [...systemToCanonical(record.system), ...messagesToCanonical(body.messages as never)],
    stream: body.stream === true,
    includeUsage: true,
  };
  if (typeof body.max_tokens === 'number') request.maxOutputTokens = body.max_tokens;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.top_p === 'number') request.topP = body.top_p;
  if (typeof body.top_k === 'number') request.topK = body.top_k;
  if (Array.isArray(body.tools) && body.tools.length > 0) request.tools = body.tools.map(toToolDefinition);
  applyToolChoice(request, record.tool_choice);
  const reasoning = toReasoning(record.thinking, record.output_config);
  if (reasoning) request.reasoning = reasoning;
  applyOutputFormat(request, record.output_config);
  const userId = isObject(record.metadata) ? record.metadata.user_id : undefined;
  if (typeof userId === 'string' && userId !== '') request.user = userId;
  if (body.service_tier === 'auto') request.serviceTier = 'auto';
  else if (body.service_tier === 'standard_only') request.serviceTier = 'default';
  const extra: JsonObject = {};
  for (const [field, value] of Object.entries(record)) {
    if (!MAPPED.has(field) && value !== undefined) extra[field] = value as JsonObject[string];
  }
  if (Object.keys(extra).length > 0) request.extraFields = extra;
  return request;
}

function toToolDefinition(tool: unknown, index: number): ToolDefinition {
  const record = tool as Record<string, unknown>;
  if (record.type !== undefined && record.type !== null && record.type !== 'custom') {
    throw new GatewayError(
      'invalid_request',
      `tools.${index}: the server tool '${String(record.type)}' runs only on Anthropic deployments; this model is served by another provider`,
      { param: `tools.${index}`, reason: 'unsupported_value' },
    );
  }
  const out: ToolDefinition = { type: 'function', name: record.name as string };
  if (typeof record.description === 'string') out.description = record.description;
  if (isObject(record.input_schema)) out.parameters = record.input_schema as JsonObject;
  if (typeof record.strict === 'boolean') out.strict = record.strict;
  const control = record.cache_control;
  if (isObject(control)) {
    out.cache = typeof control.ttl === 'string' ? { type: 'ephemeral', ttl: control.ttl } : { type: 'ephemeral' };
  }
  return out;
}

function applyToolChoice(request: ChatRequest, value: unknown): void {
  if (!isObject(value)) return;
  const choices: Record<string, ToolChoice> = {
    auto: { type: 'auto' },
    any: { type: 'required' },
    none: { type: 'none' },
  };
  const choice =
    value.type === 'tool' ? { type: 'function' as const, name: value.name as string } : choices[value.type as string];
  if (choice) request.toolChoice = choice;
  if (value.disable_parallel_tool_use === true) request.parallelToolCalls = false;
}

/**
 * `thinking: enabled` keeps its budget (and an effort for targets that only take one);
 * `adaptive` takes `output_config.effort` (medium when absent); `disabled` asks for nothing.
 */
function toReasoning(thinking: unknown, outputConfig: unknown): ReasoningSettings | undefined {
  const effortName = isObject(outputConfig) ? outputConfig.effort : undefined;
  const effort = typeof effortName === 'string' ? EFFORTS[effortName] : undefined;
  if (!isObject(thinking)) return effort ? { effort } : undefined;
  const includeThoughts = thinking.display !== 'omitted';
  if (thinking.type === 'enabled') {
    const budgetTokens = thinking.budget_tokens as number;
    return { budgetTokens, effort: effort ?? effortForBudget(budgetTokens), includeThoughts };
  }
  if (thinking.type === 'adaptive') return { effort: effort ?? 'medium', includeThoughts };
  return undefined;
}

function effortForBudget(budget: number): ReasoningEffort {
  if (budget < 4096) return 'low';
  if (budget < 16384) return 'medium';
  return 'high';
}

function applyOutputFormat(request: ChatRequest, outputConfig: unknown): void {
  if (!isObject(outputConfig) || !isObject(outputConfig.format)) return;
  const schema = outputConfig.format.schema;
  request.responseFormat = {
    type: 'json_schema',
    name: 'response',
    ...(isObject(schema) ? { schema: schema as JsonObject } : {}),
    strict: true,
  };
}
