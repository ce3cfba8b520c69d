/** Shared by the Gemini adapter tests (not used at runtime). */

import { collect } from '../../../../src/core/collect.ts';
import { GatewayError } from '../../../../src/core/errors.ts';
import type { ChatRequest, ChatResult, StreamEvent } from '../../../../src/core/types.ts';
import type {
  OpenAIChatChunk,
  OpenAIChatCompletion,
  OpenAIChatRequest,
} from '../../../../src/protocols/openai-chat.ts';
import { geminiAdapter } from '../../../../src/providers/gemini/index.ts';
import type { DeploymentTarget } from '../../../../src/providers/types.ts';
import { toOpenAIChatCompletion } from '../../../../src/surfaces/openai-chat/render-response.ts';
import { OpenAIChunkRenderer } from '../../../../src/surfaces/openai-chat/render-stream.ts';
import { fromOpenAIChatRequest } from '../../../../src/surfaces/openai-chat/to-canonical.ts';
import {
  atLeast,
  listFixtures,
  loadCassette,
  loadChunksAsSse,
  loadFirebaseMock,
  loadJsGenaiRecording,
  loadRawSse,
  loadVercelJson,
} from '../../fixtures.ts';

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

/** Feeds body chunks through the Gemini stream parser (SSE framing included), like the gateway does. */
export function runStream(chunks: Buffer[], target: DeploymentTarget = geminiTarget()): StreamRun {
  const parser = geminiAdapter.createStreamParser(target);
  const events: StreamEvent[] = [];
  try {
    for (const chunk of chunks) events.push(...parser.push(chunk));
    events.push(...parser.end());
    return { events, error: undefined };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { events, error };
  }
}

/** Tool-call ids (and ids of responses without responseId) are random, `created` is the clock: normalize them. */
export function withStableIds(events: StreamEvent[]): StreamEvent[] {
  return events.map((event) => {
    if (event.type === 'tool-call-start') return { ...event, id: `call#${event.choice}.${event.index}` };
    if (event.type === 'response-start')
      return { ...event, id: event.id.startsWith('chatcmpl-') ? 'synthesized' : event.id, created: 0 };
    return event;
  });
}

export function stableResult(result: ChatResult): ChatResult {
  return {
    ...result,
    id: result.id.startsWith('chatcmpl-') ? 'synthesized' : result.id,
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

/** A recorded Gemini stream body: vercel-ai chunks framed like the API, or raw SSE bytes. */
export function streamBody(rel: string): Buffer {
  return rel.endsWith('.chunks.txt') ? loadChunksAsSse(rel, 'gemini') : loadRawSse(rel);
}

/** Every recorded Gemini stream (vercel-ai chunks, Firebase mocks, pydantic-ai raw SSE). */
export function recordedStreamFixtures(): string[] {
  return atLeast(
    25,
    [
      ...listFixtures('gemini/vercel-ai', '.chunks.txt'),
      ...listFixtures('gemini/firebase-vertexai-sdk-test-data', '.txt'),
      ...listFixtures('derived-sse', '.sse').filter((rel) => rel.includes('/gemini__')),
    ],
    'recorded Gemini streams',
  );
}

/** Every recorded non-streaming Gemini response body with HTTP 200, keyed like UNARY. */
export function recordedUnaryBodies(): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const rel of listFixtures('gemini/vercel-ai', '.json')) {
    const [response] = loadVercelJson(rel);
    if (response && response.status < 400) bodies.set(rel, response.body.toString('utf8'));
  }
  for (const rel of listFixtures('gemini/firebase-vertexai-sdk-test-data', '.json')) {
    const mock = loadFirebaseMock(rel);
    if (mock.status < 400) bodies.set(rel, mock.body.toString('utf8'));
  }
  for (const rel of listFixtures('gemini/pydantic-ai', '.yaml')) {
    loadCassette(rel).interactions.forEach((interaction, index) => {
      const { response, request } = interaction;
      if (!response.streaming && response.status < 400 && request.uri.includes(':generateContent')) {
        bodies.set(`${rel}#${index}`, response.body.toString('utf8'));
      }
    });
  }
  for (const rel of listFixtures('gemini/js-genai', '.json')) {
    loadJsGenaiRecording(rel).interactions.forEach(({ response }, index) => {
      if (!response.streaming && response.status < 400) bodies.set(`${rel}#${index}`, response.body.toString('utf8'));
    });
  }
  atLeast(39, [...bodies.keys()], 'recorded non-streaming Gemini responses');
  return bodies;
}

/** An OpenAI request body → the Gemini upstream request the adapter builds (body parsed back). */
export function buildBody(
  body: Partial<OpenAIChatRequest>,
  target: Partial<DeploymentTarget> = {},
): { body: Record<string, unknown>; warnings: string[]; request: { url: string; headers: Record<string, string> } } {
  const built = geminiAdapter.buildRequest(
    fromOpenAIChatRequest({ model: 'g', messages: [], ...body } as OpenAIChatRequest),
    geminiTarget(target),
  );
  return {
    body: JSON.parse(String(built.request.body)) as Record<string, unknown>,
    warnings: built.warnings,
    request: built.request,
  };
}
