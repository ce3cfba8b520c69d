import type { ReasoningPart } from '../../core/types.ts';
import type { OpenAIReasoningDetail } from '../../protocols/openai-chat.ts';

/**
 * An assistant message's `reasoning_details` / `reasoning_content` → reasoning parts, accepting
 * the forms clients send back:
 * - whole blocks (`{type: 'reasoning.text', text, signature}`, `{type: 'reasoning.redacted', data}`);
 * - the streamed entries as they came (consecutive entries with the same `index` are one block:
 *   their text concatenated, the signature taken);
 * - one signed entry with empty text plus the thinking in `reasoning_content` (what a stream
 *   rendered by llmux before reasoning_details carried the text left clients with).
 * Without details, `reasoning_content` is unsigned reasoning.
 */
export function fromReasoningFields(
  details: OpenAIReasoningDetail[] | undefined,
  reasoningContent: unknown,
): ReasoningPart[] {
  const text = typeof reasoningContent === 'string' ? reasoningContent : '';
  if (!details?.length) return text ? [{ type: 'reasoning', text }] : [];
  const parts: ReasoningPart[] = [];
  let lastIndex: number | undefined;
  for (const detail of details) {
    if (detail.type === 'reasoning.redacted') {
      if (detail.data !== undefined) parts.push({ type: 'reasoning', text: '', redactedData: detail.data });
      lastIndex = undefined;
      continue;
    }
    const previous = parts.at(-1);
    if (detail.index !== undefined && detail.index === lastIndex && previous && previous.redactedData === undefined) {
      previous.text += detail.text ?? '';
      if (detail.signature !== undefined) previous.signature = detail.signature;
      continue;
    }
    const part: ReasoningPart = { type: 'reasoning', text: detail.text ?? '' };
    if (detail.signature !== undefined) part.signature = detail.signature;
    parts.push(part);
    lastIndex = detail.index;
  }
  const textParts = parts.filter((part) => part.redactedData === undefined);
  const only = textParts.length === 1 ? textParts[0] : undefined;
  if (only && only.text === '' && only.signature !== undefined && text) only.text = text;
  return parts;
}
