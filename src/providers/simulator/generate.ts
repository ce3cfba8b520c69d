import type { OpenAIChatRequest, OpenAIMessage, OpenAITool } from '../../protocols/openai-chat.ts';

/** What the simulator decided to answer for one choice. */
export interface SimulatedChoice {
  content: string | null;
  toolCall?: { id: string; name: string; arguments: string };
  /** The request used legacy `functions`: the call is answered as `function_call`. */
  legacyFunctionCall?: boolean;
  finishReason: 'stop' | 'length' | 'tool_calls' | 'function_call';
}

export interface SimulatedAnswer {
  promptTokens: number;
  choices: SimulatedChoice[];
}

const countTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function textOf(message: OpenAIMessage | undefined): string {
  if (!message?.content) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

/** A deterministic value matching a JSON Schema (enough for tool arguments and json_schema answers). */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 6) return null;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ('const' in s) return s.const;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (Array.isArray(s.anyOf)) return sampleFromSchema(s.anyOf[0], depth + 1);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(properties)) out[key] = sampleFromSchema(value, depth + 1);
      return out;
    }
    case 'array':
      return [sampleFromSchema(s.items, depth + 1)];
    case 'string':
      return 'sample';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return s.properties ? sampleFromSchema({ ...s, type: 'object' }, depth) : null;
  }
}

/** Legacy `functions` / `function_call` (when no `tools`) read as tools / tool_choice, as OpenAI does. */
function legacyAsTools(request: OpenAIChatRequest): { tools: OpenAITool[]; choice: OpenAIChatRequest['tool_choice'] } {
  const functions = Array.isArray(request.functions) ? (request.functions as OpenAITool['function'][]) : [];
  const call = request.function_call;
  const choice =
    call === 'none' || call === 'auto'
      ? call
      : typeof call === 'object' && call !== null && 'name' in call && typeof call.name === 'string'
        ? { type: 'function' as const, function: { name: call.name } }
        : undefined;
  return { tools: functions.map((fn) => ({ type: 'function', function: fn })), choice };
}

export function usesLegacyFunctions(request: OpenAIChatRequest): boolean {
  return !request.tools?.length && Array.isArray(request.functions) && request.functions.length > 0;
}

function pickTool(request: OpenAIChatRequest): OpenAITool | undefined {
  const legacy = usesLegacyFunctions(request) ? legacyAsTools(request) : undefined;
  const tools = (legacy?.tools ?? request.tools ?? []).filter((tool) => tool.type === 'function');
  const choice = legacy ? legacy.choice : request.tool_choice;
  if (tools.length === 0 || choice === 'none') return undefined;
  const last = request.messages.at(-1);
  if ((last?.role === 'tool' || last?.role === 'function') && choice !== 'required' && typeof choice !== 'object')
    return undefined;
  if (typeof choice === 'object' && choice.type === 'function') {
    return tools.find((tool) => tool.function.name === choice.function.name) ?? tools[0];
  }
  return tools[0];
}

function answerText(request: OpenAIChatRequest, model: string): string {
  const format = request.response_format;
  if (format?.type === 'json_schema') return JSON.stringify(sampleFromSchema(format.json_schema.schema ?? {}));
  if (format?.type === 'json_object') return JSON.stringify({ model, answer: 'simulated' });
  const last = request.messages.at(-1);
  if (last?.role === 'tool' || last?.role === 'function') return `The tool returned: ${textOf(last).slice(0, 200)}`;
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const prompt = textOf(lastUser).replace(/\s+/g, ' ').trim().slice(0, 120);
  return `Hello from the llmux simulator (model ${model}). You said: "${prompt}". This reply is deterministic.`;
}

/** Decides the simulated answer: deterministic text, or a tool call when tools are offered. */
export function simulateAnswer(request: OpenAIChatRequest, model: string): SimulatedAnswer {
  const promptTokens = countTokens(request.messages.map(textOf).join('\n'));
  const n = request.n ?? 1;
  const limit = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const tool = pickTool(request);
  const legacy = usesLegacyFunctions(request);
  const choices: SimulatedChoice[] = [];
  for (let i = 0; i < n; i++) {
    if (tool) {
      const args = JSON.stringify(sampleFromSchema(tool.function.parameters ?? { type: 'object' }) ?? {});
      const toolCall = { id: `call_sim_${i}`, name: tool.function.name, arguments: args };
      choices.push(
        legacy
          ? { content: null, toolCall, legacyFunctionCall: true, finishReason: 'function_call' }
          : { content: null, toolCall, finishReason: 'tool_calls' },
      );
      continue;
    }
    let content = answerText(request, model);
    let finishReason: SimulatedChoice['finishReason'] = 'stop';
    if (limit !== undefined && countTokens(content) > limit) {
      content = content.slice(0, limit * 4);
      finishReason = 'length';
    }
    choices.push({ content, finishReason });
  }
  return { promptTokens, choices };
}

export function completionTokens(choice: SimulatedChoice): number {
  return countTokens(choice.content ?? '') + (choice.toolCall ? countTokens(choice.toolCall.arguments) + 3 : 0);
}
