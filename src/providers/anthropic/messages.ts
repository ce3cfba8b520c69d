/**
 * Canonical messages → Anthropic `system` blocks and alternating user/assistant turns.
 *
 * - Every system and developer message, wherever it appears, becomes a `system` text block, in order.
 * - Tool messages become `tool_result` blocks in a user turn; consecutive same-role turns are merged
 *   (user + tool messages into one user turn, consecutive assistant messages into one), and inside a
 *   user turn the `tool_result` blocks are moved to the front, which the API requires.
 * - Assistant reasoning with a signature is sent back as `thinking` (or `redacted_thinking`) blocks
 *   ahead of the text and `tool_use` blocks, so multi-turn tool use with thinking works.
 * - Empty text blocks are skipped and a final assistant (prefill) text loses trailing whitespace:
 *   the API rejects both.
 */
import { assertNever } from '../../core/assert-never.ts';
import { GatewayError } from '../../core/errors.ts';
import type { JsonObject, Message, Part, ToolCallPart } from '../../core/types.ts';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicTextBlock,
} from '../../protocols/anthropic-messages.ts';
import { type BuildContext, rejectOrDrop } from './build-context.ts';
import { toFileBlock, toImageBlock, toTextBlock, toToolResultBlock } from './content.ts';

export interface AnthropicPrompt {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
  /** Names of tools called earlier in the conversation (the API wants them declared). */
  historyToolNames: Set<string>;
}

/** Anthropic ids must match ^[a-zA-Z0-9_-]+$; ids minted by other providers are made to fit. */
export function toAnthropicToolId(id: string): string {
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned === '' ? 'toolu_empty' : cleaned;
}

export function toAnthropicPrompt(messages: Message[], ctx: BuildContext): AnthropicPrompt {
  const prompt: AnthropicPrompt = { system: [], messages: [], historyToolNames: new Set() };
  let droppedUnsigned = false;
  for (const [index, message] of messages.entries()) {
    const param = `messages[${index}].content`;
    if (message.role === 'system' || message.role === 'developer') {
      for (const part of message.parts) {
        if (part.type === 'text') {
          const block = toTextBlock(part);
          if (block) prompt.system.push(block);
        } else rejectOrDrop(ctx, param, `${message.role} messages can only carry text for Claude`);
      }
      continue;
    }
    if (message.role === 'assistant') {
      const { blocks, unsignedReasoning } = toAssistantBlocks(message, index, prompt.historyToolNames);
      droppedUnsigned ||= unsignedReasoning;
      appendTurn(prompt.messages, 'assistant', blocks);
      continue;
    }
    const blocks: AnthropicContentBlock[] = [];
    for (const part of message.parts) {
      const block = toUserBlock(part, param, ctx);
      if (block) blocks.push(block);
    }
    appendTurn(prompt.messages, 'user', blocks);
  }
  if (droppedUnsigned) {
    ctx.warnings.push(
      'assistant reasoning without a signature was not sent back (Claude only accepts signed thinking blocks)',
    );
  }
  for (const turn of prompt.messages) if (turn.role === 'user') moveToolResultsFirst(turn);
  trimFinalAssistantText(prompt.messages);
  if (prompt.messages.length === 0) {
    throw new GatewayError(
      'invalid_request',
      "'messages' must contain at least one user or assistant message for this model.",
      {
        param: 'messages',
      },
    );
  }
  return prompt;
}

function toUserBlock(part: Part, param: string, ctx: BuildContext): AnthropicContentBlock | null {
  switch (part.type) {
    case 'text':
      return toTextBlock(part);
    case 'image':
      return toImageBlock(part, param);
    case 'file':
      return toFileBlock(part, param, ctx);
    case 'tool-result':
      return { ...toToolResultBlock(part, param, ctx), tool_use_id: toAnthropicToolId(part.toolCallId) };
    case 'audio':
      rejectOrDrop(ctx, param, 'Claude does not take audio input');
      return null;
    case 'reasoning':
    case 'tool-call':
      return null;
    default:
      return assertNever(part, 'part');
  }
}

function toAssistantBlocks(
  message: Message,
  index: number,
  toolNames: Set<string>,
): { blocks: AnthropicContentBlock[]; unsignedReasoning: boolean } {
  const thinking: AnthropicContentBlock[] = [];
  const rest: AnthropicContentBlock[] = [];
  let unsignedReasoning = false;
  let callIndex = 0;
  for (const part of message.parts) {
    if (part.type === 'reasoning') {
      if (part.redactedData !== undefined) thinking.push({ type: 'redacted_thinking', data: part.redactedData });
      else if (part.signature !== undefined)
        thinking.push({ type: 'thinking', thinking: part.text, signature: part.signature });
      else if (part.text !== '') unsignedReasoning = true;
    } else if (part.type === 'text') {
      const block = toTextBlock(part);
      if (block) rest.push(block);
    } else if (part.type === 'tool-call') {
      toolNames.add(part.name);
      rest.push({
        type: 'tool_use',
        id: toAnthropicToolId(part.id),
        name: part.name,
        input: parseArguments(part, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
      });
      callIndex += 1;
    }
  }
  if (message.refusal && !rest.some((block) => block.type === 'text'))
    rest.unshift({ type: 'text', text: message.refusal });
  return { blocks: [...thinking, ...rest], unsignedReasoning };
}

/** Tool-call arguments (a JSON string) → `tool_use.input`; an empty string means no arguments. */
function parseArguments(call: ToolCallPart, param: string): JsonObject {
  if (call.arguments.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch {
    throw new GatewayError('invalid_request', `'${param}' is not valid JSON.`, { param });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError('invalid_request', `'${param}' must be a JSON object for this model.`, { param });
  }
  return parsed as JsonObject;
}

function appendTurn(turns: AnthropicMessage[], role: 'user' | 'assistant', blocks: AnthropicContentBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function moveToolResultsFirst(turn: AnthropicMessage): void {
  const results = turn.content.filter((block) => block.type === 'tool_result');
  if (results.length === 0 || results.length === turn.content.length) return;
  turn.content = [...results, ...turn.content.filter((block) => block.type !== 'tool_result')];
}

function trimFinalAssistantText(turns: AnthropicMessage[]): void {
  const last = turns.at(-1);
  if (last?.role !== 'assistant') return;
  const block = last.content.at(-1);
  if (block?.type !== 'text') return;
  block.text = block.text.trimEnd();
  if (block.text === '') last.content.pop();
  if (last.content.length === 0) turns.pop();
}
