import { GatewayError } from '../../core/errors.ts';
import type {
  ChatRequest,
  JsonObject,
  Message,
  Part,
  ReasoningEffort,
  ReasoningSettings,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../core/types.ts';
import type {
  OpenAIChatRequest,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolChoice,
} from '../../protocols/openai-chat.ts';
import { fromLegacyFunctionCall, fromLegacyFunctions, LegacyCallIds, usesLegacyFunctions } from './legacy-functions.ts';
import { fromReasoningFields } from './reasoning-details.ts';

/** Request fields llmux maps itself; anything else on the body goes to `providerOptions.openai`. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'n',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'user',
  'seed',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'logprobs',
  'top_logprobs',
  'reasoning_effort',
  'service_tier',
  'metadata',
  'top_k',
  'provider_options',
  'thinking',
]);

/** Converts a validated OpenAI chat request into the canonical request (for translated upstreams). */
export function fromOpenAIChatRequest(body: OpenAIChatRequest): ChatRequest {
  const legacyIds = new LegacyCallIds();
  const request: ChatRequest = {
    model: body.model,
    messages: body.messages.map((message, i) => fromOpenAIMessage(message, i, legacyIds)),
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
  };
  if (body.tools?.length) request.tools = body.tools.map(fromOpenAITool);
  if (body.tool_choice !== undefined) request.toolChoice = fromOpenAIToolChoice(body.tool_choice);
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  if (usesLegacyFunctions(body)) applyLegacyFunctions(body, request);
  if (body.response_format) request.responseFormat = fromOpenAIResponseFormat(body.response_format);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxOutputTokens = maxTokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (typeof body.top_k === 'number') request.topK = body.top_k;
  if (body.n != null) request.n = body.n;
  if (body.stop != null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.presence_penalty != null) request.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) request.frequencyPenalty = body.frequency_penalty;
  if (body.seed != null) request.seed = body.seed;
  if (body.logit_bias != null) request.logitBias = body.logit_bias;
  if (body.logprobs != null) request.logprobs = body.logprobs;
  if (body.top_logprobs != null) request.topLogprobs = body.top_logprobs;
  if (body.reasoning_effort != null) request.reasoning = { effort: body.reasoning_effort as ReasoningEffort };
  const thinking = fromThinkingField(body.thinking);
  if (thinking) request.reasoning = { ...request.reasoning, ...thinking };
  if (body.service_tier != null) request.serviceTier = body.service_tier;
  if (body.user !== undefined) request.user = body.user;
  if (body.metadata != null) request.metadata = body.metadata;
  const extraFields = collectExtraFields(body);
  if (extraFields) request.extraFields = extraFields;
  const providerOptions = collectProviderOptions(body, extraFields);
  if (providerOptions) request.providerOptions = providerOptions;
  return request;
}

/** `functions` / `function_call` as tools / tool_choice; one call per answer, as the legacy format holds. */
function applyLegacyFunctions(body: OpenAIChatRequest, request: ChatRequest): void {
  request.tools = fromLegacyFunctions(body.functions as unknown[]);
  const choice = fromLegacyFunctionCall(body.function_call);
  if (choice) request.toolChoice = choice;
  request.parallelToolCalls = false;
}

/**
 * The Anthropic-style `thinking` field some OpenAI clients send (LiteLLM and others accept it):
 * `{type: 'enabled', budget_tokens}` sets an explicit budget, `{type: 'disabled'}` turns reasoning off.
 */
function fromThinkingField(thinking: unknown): ReasoningSettings | undefined {
  if (typeof thinking !== 'object' || thinking === null || Array.isArray(thinking)) return undefined;
  const record = thinking as Record<string, unknown>;
  if (record.type === 'disabled') return { effort: 'none' };
  if (record.type !== 'enabled' && record.type !== 'adaptive') return undefined;
  const out: ReasoningSettings = { includeThoughts: true };
  if (typeof record.budget_tokens === 'number') out.budgetTokens = record.budget_tokens;
  return out;
}

/**
 * `provider_options: { anthropic: {...}, gemini: {...} }` is llmux's documented extension field;
 * unknown top-level fields are kept under `openai` so OpenAI-compatible upstreams still get them.
 */
function collectProviderOptions(
  body: OpenAIChatRequest,
  unknown: JsonObject | undefined,
): Record<string, JsonObject> | undefined {
  const options: Record<string, JsonObject> = {};
  const explicit = body.provider_options;
  if (explicit !== undefined && explicit !== null) {
    if (typeof explicit !== 'object' || Array.isArray(explicit)) {
      throw new GatewayError('invalid_request', "Invalid type for 'provider_options': expected an object.", {
        param: 'provider_options',
      });
    }
    for (const [provider, fields] of Object.entries(explicit as Record<string, unknown>)) {
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
        throw new GatewayError(
          'invalid_request',
          `Invalid type for 'provider_options.${provider}': expected an object.`,
          {
            param: `provider_options.${provider}`,
          },
        );
      }
      options[provider] = fields as JsonObject;
    }
  }
  if (unknown) options.openai = { ...unknown, ...options.openai };
  return Object.keys(options).length > 0 ? options : undefined;
}

/** Top-level fields no canonical field covers (see `ChatRequest.extraFields`). */
function collectExtraFields(body: OpenAIChatRequest): JsonObject | undefined {
  const legacy = usesLegacyFunctions(body);
  let extra: JsonObject | undefined;
  for (const key in body) {
    if (KNOWN_FIELDS.has(key) || body[key] === undefined) continue;
    if (legacy && (key === 'functions' || key === 'function_call')) continue;
    extra ??= {};
    extra[key] = body[key] as JsonObject[string];
  }
  return extra;
}

function fromOpenAIMessage(message: OpenAIMessage, index: number, legacyIds: LegacyCallIds): Message {
  const role = message.role === 'function' ? 'tool' : message.role;
  const out: Message = { role, parts: [] };
  if (message.name !== undefined && message.role !== 'function') out.name = message.name;
  if (role === 'tool') {
    out.parts.push({
      type: 'tool-result',
      toolCallId: message.tool_call_id ?? (message.role === 'function' ? legacyIds.forResult(message.name ?? '') : ''),
      content: fromToolContent(message.content, index),
    });
    return out;
  }
  if (role === 'assistant')
    out.parts.push(...fromReasoningFields(message.reasoning_details, message.reasoning_content));
  out.parts.push(...fromContent(message.content, index));
  if (role === 'assistant') {
    if (typeof message.refusal === 'string') out.refusal = message.refusal;
    for (const call of message.tool_calls ?? []) {
      const part: Part = {
        type: 'tool-call',
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      };
      if (call.signature !== undefined) part.signature = call.signature;
      out.parts.push(part);
    }
    const legacyCall = legacyFunctionCall(message.function_call);
    if (legacyCall && !message.tool_calls?.length) {
      out.parts.push({ type: 'tool-call', id: legacyIds.forCall(legacyCall.name, index), ...legacyCall });
    }
  }
  return out;
}

/** An assistant turn's legacy `function_call: {name, arguments}`. */
function legacyFunctionCall(value: unknown): { name: string; arguments: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const call = value as Record<string, unknown>;
  if (typeof call.name !== 'string') return undefined;
  return { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : '{}' };
}

function fromContent(content: OpenAIMessage['content'], index: number): Part[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.flatMap((part, i) => fromContentPart(part, `messages[${index}].content[${i}]`));
}

function fromToolContent(
  content: OpenAIMessage['content'],
  index: number,
): string | Array<Extract<Part, { type: 'text' | 'image' | 'file' }>> {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return fromContent(content, index).filter(
    (part): part is Extract<Part, { type: 'text' | 'image' | 'file' }> =>
      part.type === 'text' || part.type === 'image' || part.type === 'file',
  );
}

function fromContentPart(part: OpenAIContentPart, param: string): Part[] {
  switch (part.type) {
    case 'text': {
      const out: Part = { type: 'text', text: part.text };
      if (part.cache_control) out.cache = part.cache_control;
      return [out];
    }
    case 'refusal':
      return [];
    case 'image_url': {
      const out: Part = { type: 'image', ...parseMediaUrl(part.image_url.url, `${param}.image_url.url`) };
      if (part.image_url.detail) out.detail = part.image_url.detail;
      if (part.cache_control) out.cache = part.cache_control;
      return [out];
    }
    case 'input_audio':
      return [{ type: 'audio', data: part.input_audio.data, format: part.input_audio.format }];
    case 'file': {
      const out: Part = { type: 'file' };
      if (part.file.file_data !== undefined)
        Object.assign(out, parseMediaUrl(part.file.file_data, `${param}.file.file_data`));
      if (part.file.file_id !== undefined) out.fileId = part.file.file_id;
      if (part.file.filename !== undefined) out.filename = part.file.filename;
      if (part.cache_control) out.cache = part.cache_control;
      return [out];
    }
  }
}

/** Splits a `data:<mime>;base64,<data>` URL; anything else is kept as a URL. */
export function parseMediaUrl(url: string, param: string): { url?: string; data?: string; mediaType?: string } {
  if (!url.startsWith('data:')) return { url };
  const comma = url.indexOf(',');
  const header = comma > 0 ? url.slice(5, comma) : '';
  if (comma < 0 || !header.endsWith(';base64')) {
    throw new GatewayError(
      'invalid_request',
      `Invalid data URL in '${param}': expected data:<media type>;base64,<data>.`,
      {
        param,
      },
    );
  }
  return { data: url.slice(comma + 1), mediaType: header.slice(0, -';base64'.length) || 'application/octet-stream' };
}

function fromOpenAITool(tool: OpenAITool, index: number): ToolDefinition {
  if (tool.type !== 'function') {
    throw new GatewayError(
      'unsupported_parameter',
      `'tools[${index}]': only function tools can be sent to this model.`,
      {
        param: `tools[${index}].type`,
      },
    );
  }
  const out: ToolDefinition = { type: 'function', name: tool.function.name };
  if (tool.function.description !== undefined) out.description = tool.function.description;
  if (tool.function.parameters !== undefined) out.parameters = tool.function.parameters as JsonObject;
  if (tool.function.strict != null) out.strict = tool.function.strict;
  if (tool.cache_control) out.cache = tool.cache_control;
  return out;
}

function fromOpenAIToolChoice(choice: OpenAIToolChoice): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  if (choice.type === 'function') return { type: 'function', name: choice.function.name };
  throw new GatewayError(
    'unsupported_parameter',
    `'tool_choice' of type '${choice.type}' cannot be sent to this model.`,
    {
      param: 'tool_choice',
    },
  );
}

function fromOpenAIResponseFormat(format: NonNullable<OpenAIChatRequest['response_format']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const out: ResponseFormat = { type: 'json_schema', name: format.json_schema.name };
  if (format.json_schema.description !== undefined) out.description = format.json_schema.description;
  if (format.json_schema.schema !== undefined) out.schema = format.json_schema.schema as JsonObject;
  if (format.json_schema.strict != null) out.strict = format.json_schema.strict;
  return out;
}
