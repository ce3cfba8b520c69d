/**
 * Test-only helpers for the Anthropic adapter tests: replaying recorded bodies through the adapter
 * and the OpenAI renderers, and an independent fold of an Anthropic stream into a Message (the
 * way the official SDKs accumulate one) so streaming and non-streaming parsing can be compared.
 */
import { collect } from '../../../../src/core/collect.ts';
import type { ChatRequest, ChatResult, StreamEvent } from '../../../../src/core/types.ts';
import { isRecord } from '../../../../src/lib/json.ts';
import { SseDecoder } from '../../../../src/lib/sse.ts';
import type { OpenAIChatChunk, OpenAIChatCompletion } from '../../../../src/protocols/openai-chat.ts';
import { anthropicAdapter } from '../../../../src/providers/anthropic/index.ts';
import type { DeploymentTarget } from '../../../../src/providers/types.ts';
import { toOpenAIChatCompletion } from '../../../../src/surfaces/openai-chat/render-response.ts';
import { OpenAIChunkRenderer } from '../../../../src/surfaces/openai-chat/render-stream.ts';
import { checkAgainstSpec } from './spec-check.ts';

export function testTarget(model = 'claude-sonnet-4-5', extra: Partial<DeploymentTarget> = {}): DeploymentTarget {
  return {
    providerName: 'claude',
    providerType: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    apiKey: 'sk-ant-test-key-123456',
    model,
    capabilities: {},
    ...extra,
  };
}

/** Decodes SSE bytes written in the given pieces and runs them through a fresh stream parser. */
export function parseStreamPieces(pieces: Buffer[], target = testTarget()): StreamEvent[] {
  const parser = anthropicAdapter.createStreamParser(target);
  const events: StreamEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(piece));
  events.push(...parser.end());
  return events;
}

export function parseStream(body: Buffer, target = testTarget()): StreamEvent[] {
  return parseStreamPieces([body], target);
}

/** The OpenAI chunks a client would receive (include_usage on), parsed, plus the raw SSE text. */
export function renderChunks(events: StreamEvent[]): { chunks: OpenAIChatChunk[]; text: string } {
  const renderer = new OpenAIChunkRenderer(true, { id: 'fallback', model: 'fallback', created: 0 });
  const text = events.map((event) => renderer.render(event)).join('') + renderer.end();
  const chunks = text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice('data: '.length)) as OpenAIChatChunk);
  return { chunks, text };
}

export function completionOf(events: StreamEvent[]): OpenAIChatCompletion {
  return toOpenAIChatCompletion(collect(events));
}

/** A result with the parts that legitimately differ between two parses blanked out. */
export function comparable(result: ChatResult): unknown {
  return {
    ...result,
    created: 0,
    usage: result.usage ? { ...result.usage, raw: undefined } : undefined,
    choices: result.choices.map((choice) => ({
      ...choice,
      toolCalls: choice.toolCalls.map((call) => ({ ...call, arguments: normalizedJson(call.arguments) })),
    })),
  };
}

function normalizedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Folds the JSON payloads of an Anthropic stream into the Message the non-streaming endpoint
 * would have returned (content blocks accumulated, tool input parsed, usage merged).
 */
export function foldAnthropicStream(body: Buffer): Record<string, unknown> {
  const decoder = new SseDecoder();
  const payloads = [...decoder.push(body), ...decoder.end()]
    .map((sse) => JSON.parse(sse.data) as unknown)
    .filter(isRecord);
  let message: Record<string, unknown> = {};
  const content: Array<Record<string, unknown>> = [];
  const json = new Map<number, string>();
  for (const payload of payloads) {
    const index = typeof payload.index === 'number' ? payload.index : -1;
    const delta = isRecord(payload.delta) ? payload.delta : {};
    if (payload.type === 'message_start' && isRecord(payload.message)) message = { ...payload.message };
    if (payload.type === 'content_block_start' && isRecord(payload.content_block))
      content[index] = { ...payload.content_block };
    const block = content[index];
    if (payload.type === 'content_block_delta' && block) {
      if (delta.type === 'text_delta') block.text = String(block.text ?? '') + String(delta.text);
      if (delta.type === 'thinking_delta') block.thinking = String(block.thinking ?? '') + String(delta.thinking);
      if (delta.type === 'signature_delta') block.signature = delta.signature;
      if (delta.type === 'input_json_delta') json.set(index, (json.get(index) ?? '') + String(delta.partial_json));
      if (delta.type === 'citations_delta')
        block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
    }
    if (payload.type === 'message_delta') {
      Object.assign(message, delta);
      if (isRecord(payload.usage))
        message.usage = { ...(isRecord(message.usage) ? message.usage : {}), ...payload.usage };
    }
  }
  for (const [index, text] of json) {
    const block = content[index];
    if (block && text.trim() !== '') {
      try {
        block.input = JSON.parse(text) as unknown;
      } catch {
        block.input = { unparsed: text };
      }
    }
  }
  return { ...message, content: content.filter(Boolean) };
}

export interface BuiltForTest {
  body: Record<string, unknown> & { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
  headers: Record<string, string>;
  url: string;
  warnings: string[];
}

/** A canonical request with defaults filled in. */
export function chatRequest(partial: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude',
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }],
    stream: false,
    includeUsage: false,
    ...partial,
  };
}

/** Builds the upstream request and checks the body against the Anthropic spec (see spec-check.ts). */
export function build(partial: Partial<ChatRequest> = {}, target: DeploymentTarget = testTarget()): BuiltForTest {
  const built = anthropicAdapter.buildRequest(chatRequest(partial), target);
  const body = JSON.parse(String(built.request.body)) as BuiltForTest['body'];
  const problems = checkAgainstSpec(body);
  if (problems.length > 0) throw new Error(`built body does not fit the Anthropic spec:\n${problems.join('\n')}`);
  return { body, headers: built.request.headers, url: built.request.url, warnings: built.warnings };
}
