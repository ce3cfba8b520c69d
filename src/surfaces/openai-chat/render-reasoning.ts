import type { StreamEvent } from '../../core/types.ts';
import type { OpenAIChunkChoice } from '../../protocols/openai-chat.ts';

type ReasoningDelta = Extract<StreamEvent, { type: 'reasoning-delta' }>;

/**
 * One reasoning delta as chunk fields: the text in `reasoning_content` and, for every delta, a
 * `reasoning_details` entry with the block's `index`, so that concatenating the entries' `text`
 * per index and taking the `signature` rebuilds the whole block (what OpenRouter's clients do),
 * ready to be sent back.
 */
export function toReasoningChunkDelta(event: ReasoningDelta, index: number): OpenAIChunkChoice['delta'] {
  if (event.redactedData !== undefined) {
    return { reasoning_details: [{ type: 'reasoning.redacted', data: event.redactedData, index }] };
  }
  const delta: OpenAIChunkChoice['delta'] = {};
  if (event.text) delta.reasoning_content = event.text;
  if (!event.text && event.signature === undefined) return delta;
  delta.reasoning_details = [
    {
      type: 'reasoning.text',
      text: event.text ?? '',
      ...(event.signature !== undefined ? { signature: event.signature } : {}),
      index,
    },
  ];
  return delta;
}
