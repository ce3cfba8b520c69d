/** Shared by the Gemini adapter tests (not used at runtime). */
import { collect } from '../../core/collect.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult, StreamEvent } from '../../core/types.ts';
import { SseDecoder } from '../../lib/sse.ts';
import type { OpenAIChatChunk, OpenAIChatCompletion } from '../../protocols/openai-chat.ts';
import { toOpenAIChatCompletion } from '../../surfaces/openai-chat/render-response.ts';
import { OpenAIChunkRenderer } from '../../surfaces/openai-chat/render-stream.ts';
import type { DeploymentTarget } from '../types.ts';
import { geminiAdapter } from './index.ts';

export function geminiTarget(overrides: Partial<DeploymentTarget> = {}): DeploymentTarget {
  return {
    providerName: 'google',
    providerType: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com',
    apiKey: 'AIzaSyTEST-key-0123456789abcdef',
    model: 'gemini-2.5-flash',
    capabilities: {},
    ...overrides,
  };
}

export function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'public-model',
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    includeUsage: false,
    ...overrides,
  };
}

export interface StreamRun {
  events: StreamEvent[];
  /** Thrown by the parser (push or end), if anything was. */
  error: GatewayError | undefined;
}

/** Feeds body chunks through SseDecoder + the Gemini stream parser, like the gateway does. */
export function runStream(chunks: Buffer[], target: DeploymentTarget = geminiTarget()): StreamRun {
  const decoder = new SseDecoder();
  const parser = geminiAdapter.createStreamParser(target);
  const events: StreamEvent[] = [];
  try {
    for (const chunk of chunks) for (const sse of decoder.push(chunk)) events.push(...parser.push(sse));
    for (const sse of decoder.end()) events.push(...parser.push(sse));
    events.push(...parser.end());
    return { events, error: undefined };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { events, error };
  }
}

/** Tool-call ids are synthesized at random: replace them by their position so runs compare equal. */
export function withStableIds(events: StreamEvent[]): StreamEvent[] {
  return events.map((event) =>
    event.type === 'tool-call-start'
      ? { ...event, id: `call#${event.choice}.${event.index}` }
      : event.type === 'response-start'
        ? { ...event, created: 0 }
        : event,
  );
}

export function stableResult(result: ChatResult): ChatResult {
  return {
    ...result,
    created: 0,
    choices: result.choices.map((choice) => ({
      ...choice,
      toolCalls: choice.toolCalls.map((call, index) => ({ ...call, id: `call#${choice.index}.${index}` })),
    })),
  };
}

/** The OpenAI `chat.completion` a client gets for these events (non-streaming rendering of collect()). */
export function completionOf(events: StreamEvent[]): OpenAIChatCompletion {
  return toOpenAIChatCompletion(collect(events));
}

/** The OpenAI chunks a streaming client gets (with the usage chunk), parsed back from the SSE text. */
export function chunksOf(events: StreamEvent[]): OpenAIChatChunk[] {
  const renderer = new OpenAIChunkRenderer(true, { id: 'fallback', model: 'fallback', created: 0 });
  let text = '';
  for (const event of events) text += renderer.render(event);
  text += renderer.end();
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice(6)) as OpenAIChatChunk)
    .filter((chunk) => chunk.object === 'chat.completion.chunk');
}

/** Folds OpenAI chunks the way the openai SDK's stream helper does: content, reasoning, tool calls by index. */
export function foldChunks(chunks: OpenAIChatChunk[]): Map<
  number,
  {
    content: string;
    reasoning: string;
    finish: string | null;
    tools: Array<{ id: string; name: string; arguments: string }>;
  }
> {
  const choices = new Map<
    number,
    {
      content: string;
      reasoning: string;
      finish: string | null;
      tools: Array<{ id: string; name: string; arguments: string }>;
    }
  >();
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const state = choices.get(choice.index) ?? { content: '', reasoning: '', finish: null, tools: [] };
      choices.set(choice.index, state);
      if (typeof choice.delta.content === 'string') state.content += choice.delta.content;
      if (typeof choice.delta.reasoning_content === 'string') state.reasoning += choice.delta.reasoning_content;
      for (const call of choice.delta.tool_calls ?? []) {
        const tool = state.tools[call.index] ?? { id: '', name: '', arguments: '' };
        state.tools[call.index] = tool;
        if (call.id) tool.id = call.id;
        if (call.function?.name) tool.name = call.function.name;
        if (call.function?.arguments) tool.arguments += call.function.arguments;
      }
      if (choice.finish_reason) state.finish = choice.finish_reason;
    }
  }
  return choices;
}
