import { assertNever } from '../../core/assert-never.ts';
import type { ChatRequest, Message, Part } from '../../core/types.ts';
import type { OpenAIChatRequest, OpenAIContentPart, OpenAIMessage } from '../../protocols/openai-chat.ts';
import type { BuiltRequest, DeploymentTarget } from '../types.ts';
import type { OpenAIEndpointHooks, TransformRequestBody } from './hooks.ts';
import { preparePassthroughBody } from './passthrough.ts';
import { translatedFieldWarnings } from './translated-fields.ts';

/** Canonical request → OpenAI chat body (used when the client spoke another format). */
export function toOpenAIChatBody(request: ChatRequest): OpenAIChatRequest {
  const body: OpenAIChatRequest = { model: request.model, messages: request.messages.flatMap(toOpenAIMessages) };
  if (request.stream) body.stream = true;
  if (request.stream && request.includeUsage) body.stream_options = { include_usage: true };
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        ...(tool.parameters !== undefined ? { parameters: tool.parameters } : {}),
        ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      },
    }));
  }
  if (request.toolChoice) {
    body.tool_choice =
      request.toolChoice.type === 'function'
        ? { type: 'function', function: { name: request.toolChoice.name } }
        : request.toolChoice.type;
  }
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  const format = request.responseFormat;
  if (format) {
    body.response_format =
      format.type === 'json_schema'
        ? {
            type: 'json_schema',
            json_schema: {
              name: format.name,
              ...(format.description !== undefined ? { description: format.description } : {}),
              ...(format.schema !== undefined ? { schema: format.schema } : {}),
              ...(format.strict !== undefined ? { strict: format.strict } : {}),
            },
          }
        : { type: format.type };
  }
  if (request.maxOutputTokens !== undefined) body.max_completion_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.n !== undefined) body.n = request.n;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.logitBias !== undefined) body.logit_bias = request.logitBias;
  if (request.logprobs !== undefined) body.logprobs = request.logprobs;
  if (request.topLogprobs !== undefined) body.top_logprobs = request.topLogprobs;
  if (request.reasoning?.effort !== undefined) body.reasoning_effort = request.reasoning.effort;
  if (request.serviceTier !== undefined) body.service_tier = request.serviceTier;
  if (request.user !== undefined) body.user = request.user;
  if (request.metadata !== undefined) body.metadata = request.metadata;
  const extra = request.providerOptions?.openai;
  if (extra) Object.assign(body, extra);
  return body;
}

function toOpenAIMessages(message: Message): OpenAIMessage[] {
  if (message.role === 'tool') {
    return message.parts.flatMap((part) =>
      part.type === 'tool-result'
        ? [{ role: 'tool' as const, tool_call_id: part.toolCallId, content: toolResultContent(part.content) }]
        : [],
    );
  }
  const content = message.parts.flatMap(toOpenAIContentPart);
  const out: OpenAIMessage = { role: message.role, content: simplifyContent(content) };
  if (message.name !== undefined) out.name = message.name;
  if (message.role === 'assistant') {
    const calls = message.parts.filter(
      (part): part is Extract<Part, { type: 'tool-call' }> => part.type === 'tool-call',
    );
    if (calls.length > 0) {
      out.tool_calls = calls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    // No content parts (tool calls only, or a refusal) is `content: null`, as OpenAI itself writes it; not "".
    if (content.length === 0) out.content = null;
    if (message.refusal !== undefined) out.refusal = message.refusal;
  }
  return [out];
}

function simplifyContent(parts: OpenAIContentPart[]): string | OpenAIContentPart[] {
  if (parts.every((part) => part.type === 'text' && !part.cache_control)) {
    return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  return parts;
}

function toolResultContent(content: Extract<Part, { type: 'tool-result' }>['content']): string | OpenAIContentPart[] {
  if (typeof content === 'string') return content;
  return simplifyContent(content.flatMap(toOpenAIContentPart));
}

function toOpenAIContentPart(part: Part): OpenAIContentPart[] {
  switch (part.type) {
    case 'text':
      return [{ type: 'text', text: part.text }];
    case 'image': {
      const url = part.url ?? `data:${part.mediaType ?? 'image/png'};base64,${part.data ?? ''}`;
      return [{ type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } }];
    }
    case 'audio':
      return [{ type: 'input_audio', input_audio: { data: part.data, format: part.format } }];
    case 'file': {
      const file: { file_data?: string; file_id?: string; filename?: string } = {};
      if (part.data !== undefined) file.file_data = `data:${part.mediaType ?? 'application/pdf'};base64,${part.data}`;
      if (part.fileId !== undefined) file.file_id = part.fileId;
      if (part.filename !== undefined) file.filename = part.filename;
      return [{ type: 'file', file }];
    }
    case 'reasoning':
    case 'tool-call':
    case 'tool-result':
      return [];
    default:
      return assertNever(part, 'part');
  }
}

/**
 * Builds the upstream HTTP request for an OpenAI-format body. The body is encoded at once: undici
 * sends a Buffer as it is but copies a string into one, and the JSON text would stay referenced
 * for the whole attempt (a second copy of a large request).
 */
export function buildOpenAIHttpRequest(
  body: unknown,
  target: DeploymentTarget,
  endpoint: OpenAIEndpointHooks = {},
): BuiltRequest['request'] {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey && endpoint.authHeaders) Object.assign(headers, endpoint.authHeaders(target.apiKey));
  else if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return {
    method: 'POST',
    url: endpoint.chatCompletionsUrl?.(target) ?? joinUrlPath(target.baseUrl, '/chat/completions'),
    headers,
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** `path` appended to the base URL's path, before its query (`…/openai?api-version=x` + `/p` → `…/openai/p?api-version=x`). */
export function joinUrlPath(baseUrl: string, path: string): string {
  const query = baseUrl.indexOf('?');
  if (query < 0) return `${baseUrl}${path}`;
  return `${baseUrl.slice(0, query).replace(/\/+$/, '')}${path}${baseUrl.slice(query)}`;
}

/** Canonical request → upstream request for an OpenAI-compatible deployment. */
export function buildOpenAIRequest(
  request: ChatRequest,
  target: DeploymentTarget,
  transform?: TransformRequestBody,
  endpoint?: OpenAIEndpointHooks,
): BuiltRequest {
  const dropped = translatedFieldWarnings(request, target);
  const { body, warnings } = preparePassthroughBody(toOpenAIChatBody(request), target, transform);
  return { request: buildOpenAIHttpRequest(body, target, endpoint), warnings: [...dropped, ...warnings] };
}
