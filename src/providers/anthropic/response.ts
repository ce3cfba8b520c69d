/** Anthropic Message (non-streaming) → canonical result. */
import { GatewayError } from '../../core/errors.ts';
import type { ChatResult, ChoiceResult, Citation, ReasoningPart, ToolCallPart } from '../../core/types.ts';
import { isRecord } from '../../lib/json.ts';
import type { AnthropicResponse, AnthropicResponseBlock } from '../../protocols/anthropic-messages.ts';
import { fromAnthropicCitation } from './citations.ts';
import { fromAnthropicErrorPayload } from './errors.ts';
import { mapAnthropicStopReason } from './finish-reason.ts';
import { JSON_RESPONSE_TOOL } from './tools.ts';
import { fromAnthropicServiceTier, fromAnthropicUsage } from './usage.ts';

/** Seconds since the epoch: Anthropic responses carry no creation time, so llmux stamps one. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Content blocks: `text` blocks are concatenated into the message content (their citations kept,
 * spanning the block); `tool_use` → tool calls with `JSON.stringify(input)` as arguments, except
 * llmux's JSON response tool, whose input becomes the content; `thinking` → reasoning with its
 * signature; `redacted_thinking` → reasoning with the redacted data. Server tool blocks
 * (`server_tool_use`, `web_search_tool_result`, …) are results of tools Anthropic ran itself and
 * are not surfaced; the text that cites them is.
 */
export function fromAnthropicMessage(body: unknown): ChatResult {
  if (isRecord(body) && body.type === 'error') throw fromAnthropicErrorPayload(body, 502);
  if (!isRecord(body) || !Array.isArray(body.content)) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a body that is not an Anthropic message');
  }
  const message = body as AnthropicResponse;
  let text: string | null = null;
  const reasoning: ReasoningPart[] = [];
  const toolCalls: ToolCallPart[] = [];
  const citations: Citation[] = [];
  let jsonToolUsed = false;
  for (const block of message.content ?? []) {
    switch (block.type) {
      case 'text': {
        const start = text?.length ?? 0;
        text = (text ?? '') + (block.text ?? '');
        for (const raw of block.citations ?? []) {
          const citation = fromAnthropicCitation(raw, start, text.length);
          if (citation) citations.push(citation);
        }
        break;
      }
      case 'thinking':
        reasoning.push(thinkingPart(block));
        break;
      case 'redacted_thinking':
        reasoning.push({ type: 'reasoning', text: '', redactedData: block.data ?? '' });
        break;
      case 'tool_use': {
        const args = JSON.stringify(block.input ?? {});
        if (block.name === JSON_RESPONSE_TOOL) {
          jsonToolUsed = true;
          text = (text ?? '') + args;
        } else toolCalls.push({ type: 'tool-call', id: block.id ?? '', name: block.name ?? '', arguments: args });
        break;
      }
      default:
        break;
    }
  }
  const choice: ChoiceResult = {
    index: 0,
    text,
    refusal: null,
    reasoning,
    toolCalls,
    citations,
    logprobs: null,
    finishReason: mapAnthropicStopReason(message.stop_reason, jsonToolUsed && toolCalls.length === 0),
  };
  const result: ChatResult = {
    id: message.id ?? '',
    model: message.model ?? '',
    created: nowSeconds(),
    choices: [choice],
  };
  if (message.usage) {
    result.usage = fromAnthropicUsage(message.usage);
    const tier = fromAnthropicServiceTier(message.usage.service_tier);
    if (tier) result.serviceTier = tier;
  }
  return result;
}

function thinkingPart(block: AnthropicResponseBlock): ReasoningPart {
  const part: ReasoningPart = { type: 'reasoning', text: block.thinking ?? '' };
  if (typeof block.signature === 'string' && block.signature !== '') part.signature = block.signature;
  return part;
}
