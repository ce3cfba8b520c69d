/**
 * The two scripted upstream turns of a tool round trip, in each upstream API's own streaming format
 * (shapes as in anthropic-steps.ts / openai-steps.ts and the answers of the recorder the CLIs were
 * recorded against, test/fixtures/clients): turn 1 calls a tool, turn 2 answers with text. And the
 * reverse: the tool results an upstream request carries, whatever its format.
 */
import { anthropicEvent } from './anthropic-steps.ts';
import { asArray, isRecord, type JsonRecord } from './json-guards.ts';
import { openAIChunk, openAIStreamFrames, openAIUsageChunk } from './openai-steps.ts';
import type { Step } from './simulator-steps.ts';

/** The API llmux speaks to an upstream: the client's own when passing through, else the provider's. */
export type UpstreamApi = 'anthropic-messages' | 'openai-chat' | 'openai-responses' | 'gemini';

/** The usage every scripted turn reports, whatever its format. */
export const TURN_USAGE = { input: 40, output: 12 } as const;
const CHAT_USAGE = { prompt_tokens: TURN_USAGE.input, completion_tokens: TURN_USAGE.output };

export interface ToolCall {
  /** The call id the upstream gives (Gemini gives none). */
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Responses API only: a call of a freeform (`custom`) tool with this input instead of `args`. */
  input?: string;
}

/** Splits `text` in two, so that a value arrives over more than one delta. */
function halves(text: string): [string, string] {
  const cut = Math.ceil(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)];
}

function anthropicMessageStart(): string {
  return anthropicEvent('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_sim',
      type: 'message',
      role: 'assistant',
      model: 'claude-sim',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: TURN_USAGE.input, output_tokens: 1 },
    },
  });
}

function anthropicTurn(block: JsonRecord, deltas: JsonRecord[], stopReason: string): Step {
  return {
    kind: 'sse-events',
    events: [
      anthropicMessageStart(),
      anthropicEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: block }),
      ...deltas.map((delta) => anthropicEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta })),
      anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
      anthropicEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: TURN_USAGE.output },
      }),
      anthropicEvent('message_stop', { type: 'message_stop' }),
    ],
  };
}

function geminiChunk(parts: JsonRecord[], finishReason?: string): string {
  const candidate: JsonRecord = { content: { role: 'model', parts }, index: 0 };
  if (finishReason) candidate.finishReason = finishReason;
  const usageMetadata = finishReason
    ? {
        promptTokenCount: TURN_USAGE.input,
        candidatesTokenCount: TURN_USAGE.output,
        totalTokenCount: TURN_USAGE.input + TURN_USAGE.output,
      }
    : { promptTokenCount: TURN_USAGE.input, totalTokenCount: TURN_USAGE.input };
  return `data: ${JSON.stringify({ candidates: [candidate], usageMetadata, modelVersion: 'gemini-sim' })}\r\n\r\n`;
}

/** A Responses stream: created, in_progress, `items`' events, completed with `output` and usage. */
function responsesTurn(itemEvents: JsonRecord[], output: JsonRecord[]): Step {
  const response = (status: string, items: JsonRecord[], usage: JsonRecord | null) => ({
    id: 'resp_sim',
    object: 'response',
    created_at: 1_796_000_000,
    status,
    model: 'gpt-sim',
    output: items,
    usage,
  });
  const events: JsonRecord[] = [
    { type: 'response.created', response: response('in_progress', [], null) },
    { type: 'response.in_progress', response: response('in_progress', [], null) },
    ...itemEvents,
    {
      type: 'response.completed',
      response: response('completed', output, {
        input_tokens: TURN_USAGE.input,
        output_tokens: TURN_USAGE.output,
        total_tokens: TURN_USAGE.input + TURN_USAGE.output,
      }),
    },
  ];
  return {
    kind: 'sse-events',
    events: events.map(
      (event, index) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: index })}\n\n`,
    ),
  };
}

/** A `custom_tool_call` (Codex's freeform tools), as the recorder served it (codex/runs/03-tool-default-model-codemode). */
function responsesCustomToolCall(call: ToolCall, input: string): Step {
  const item = { id: 'ctc_sim', type: 'custom_tool_call', call_id: call.id, name: call.name };
  const done = { ...item, status: 'completed', input };
  const at = { item_id: item.id, output_index: 0 };
  return responsesTurn(
    [
      { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', input: '' } },
      { type: 'response.custom_tool_call_input.delta', ...at, delta: input },
      { type: 'response.custom_tool_call_input.done', ...at, input },
      { type: 'response.output_item.done', output_index: 0, item: done },
    ],
    [done],
  );
}

function responsesToolCall(call: ToolCall, args: [string, string]): Step {
  if (call.input !== undefined) return responsesCustomToolCall(call, call.input);
  const item = { id: 'fc_sim', type: 'function_call', call_id: call.id, name: call.name };
  const done = { ...item, status: 'completed', arguments: args.join('') };
  const at = { item_id: item.id, output_index: 0 };
  return responsesTurn(
    [
      { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } },
      ...args.map((delta) => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      { type: 'response.function_call_arguments.done', ...at, arguments: done.arguments },
      { type: 'response.output_item.done', output_index: 0, item: done },
    ],
    [done],
  );
}

function responsesText(pieces: [string, string]): Step {
  const text = pieces.join('');
  const part = (value: string) => ({ type: 'output_text', annotations: [], text: value });
  const item = { id: 'msg_sim', type: 'message', role: 'assistant' };
  const done = { ...item, status: 'completed', content: [part(text)] };
  const at = { item_id: item.id, output_index: 0, content_index: 0 };
  return responsesTurn(
    [
      { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
      { type: 'response.content_part.added', ...at, part: part('') },
      ...pieces.map((delta) => ({ type: 'response.output_text.delta', ...at, delta })),
      { type: 'response.output_text.done', ...at, text },
      { type: 'response.content_part.done', ...at, part: part(text) },
      { type: 'response.output_item.done', output_index: 0, item: done },
    ],
    [done],
  );
}

/** Turn 1: the model calls `call` (arguments streamed in two pieces where the format streams them). */
export function toolCallTurn(api: UpstreamApi, call: ToolCall): Step {
  const args = halves(JSON.stringify(call.args));
  switch (api) {
    case 'anthropic-messages':
      return anthropicTurn(
        { type: 'tool_use', id: call.id, name: call.name, input: {} },
        args.map((partial_json) => ({ type: 'input_json_delta', partial_json })),
        'tool_use',
      );
    case 'openai-responses':
      return responsesToolCall(call, args);
    case 'openai-chat':
      return {
        kind: 'sse-events',
        events: [
          openAIChunk({
            role: 'assistant',
            tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
          }),
          ...args.map((piece) => openAIChunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
          openAIChunk({}, 'tool_calls'),
          openAIUsageChunk(CHAT_USAGE),
          'data: [DONE]\n\n',
        ],
      };
    case 'gemini':
      return {
        kind: 'sse-events',
        events: [geminiChunk([{ functionCall: { name: call.name, args: call.args } }], 'STOP')],
      };
  }
}

/** Turn 2: the model answers `text` (in two deltas). */
export function textTurn(api: UpstreamApi, text: string): Step {
  const pieces = halves(text);
  switch (api) {
    case 'anthropic-messages':
      return anthropicTurn(
        { type: 'text', text: '' },
        pieces.map((piece) => ({ type: 'text_delta', text: piece })),
        'end_turn',
      );
    case 'openai-responses':
      return responsesText(pieces);
    case 'openai-chat':
      return { kind: 'sse-events', events: openAIStreamFrames(pieces, CHAT_USAGE) };
    case 'gemini':
      return {
        kind: 'sse-events',
        events: [geminiChunk([{ text: pieces[0] }]), geminiChunk([{ text: pieces[1] }], 'STOP')],
      };
  }
}

export interface ToolResult {
  /** The call id it answers (Gemini: the function name). */
  callId: string;
  /** Its content as JSON text. */
  content: string;
}

const records = (value: unknown): JsonRecord[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/** Every tool result in an upstream request body of `api`'s format. */
export function toolResultsOf(api: UpstreamApi, body: unknown): ToolResult[] {
  if (!isRecord(body)) return [];
  switch (api) {
    case 'anthropic-messages':
      return records(body.messages)
        .flatMap((message) => records(message.content))
        .filter((block) => block.type === 'tool_result')
        .map((block) => ({ callId: String(block.tool_use_id), content: JSON.stringify(block.content) }));
    case 'openai-responses':
      return records(body.input)
        .filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
        .map((item) => ({ callId: String(item.call_id), content: JSON.stringify(item.output) }));
    case 'openai-chat':
      return records(asArray(body.messages, 'messages'))
        .filter((message) => message.role === 'tool')
        .map((message) => ({ callId: String(message.tool_call_id), content: JSON.stringify(message.content) }));
    case 'gemini':
      return records(body.contents)
        .flatMap((content) => records(content.parts))
        .flatMap((part) => (isRecord(part.functionResponse) ? [part.functionResponse] : []))
        .map((response) => ({ callId: String(response.name), content: JSON.stringify(response.response) }));
  }
}
