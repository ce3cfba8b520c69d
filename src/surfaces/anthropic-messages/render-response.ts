/** Canonical result → an Anthropic `message` object (non-streaming answer). */
import type { ChatResult, ChoiceResult, JsonValue, ToolCallPart } from '../../core/types.ts';
import { toAnthropicStopReason, toAnthropicUsage } from './render-usage.ts';
import { thinkingSignature, toolUseId } from './signature-carrier.ts';

export type RenderedBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonValue };

export interface RenderIdentity {
  /** `msg_…` id of the answer. */
  id: string;
  /** The model name the client asked for. */
  model: string;
}

export function toAnthropicMessage(result: ChatResult, identity: RenderIdentity): Record<string, unknown> {
  const choice = result.choices[0];
  return {
    id: identity.id,
    type: 'message',
    role: 'assistant',
    model: identity.model,
    content: choice ? contentOf(choice) : [],
    stop_reason: toAnthropicStopReason(choice?.finishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(result.usage),
  };
}

/** Reasoning first (signed thinking must lead the turn), then the text, then the tool calls. */
function contentOf(choice: ChoiceResult): RenderedBlock[] {
  const blocks: RenderedBlock[] = [];
  for (const part of choice.reasoning) {
    if (part.redactedData !== undefined) blocks.push({ type: 'redacted_thinking', data: part.redactedData });
    else blocks.push({ type: 'thinking', thinking: part.text, signature: thinkingSignature(part.signature) });
  }
  const text = [choice.text, choice.refusal].filter((t): t is string => typeof t === 'string' && t !== '').join('');
  if (text !== '' || (choice.toolCalls.length === 0 && blocks.length === 0)) blocks.push({ type: 'text', text });
  for (const call of choice.toolCalls) blocks.push(toolUseBlock(call));
  return blocks;
}

export function toolUseBlock(call: ToolCallPart): RenderedBlock {
  return {
    type: 'tool_use',
    id: toolUseId(call.id, call.signature),
    name: call.name,
    input: parseInput(call.arguments),
  };
}

/** Tool arguments (JSON text) as `input`, an object; unparsable text is kept under `_raw`. */
export function parseInput(text: string): JsonValue {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonValue;
  } catch {
    // falls through
  }
  return { _raw: text };
}
