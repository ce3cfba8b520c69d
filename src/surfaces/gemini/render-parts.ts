import type { FinishReason, JsonObject, ReasoningPart, ToolCallPart, Usage } from '../../core/types.ts';
import { tryParseJson } from '../../lib/json.ts';
import type { GeminiPart, GeminiUsageMetadata } from '../../protocols/gemini.ts';

/** Gemini's own finish reasons: a raw one from a Gemini upstream is kept as it was. */
const GEMINI_FINISH_REASONS = new Set([
  'STOP',
  'MAX_TOKENS',
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'OTHER',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'MALFORMED_FUNCTION_CALL',
  'IMAGE_SAFETY',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
]);

/** The canonical finish → `finishReason` (a tool turn is STOP on Gemini). */
export function toGeminiFinishReason(reason: FinishReason): string {
  if (reason.raw !== null && GEMINI_FINISH_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'stop':
    case 'tool_calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    case 'error':
    case 'other':
      return 'OTHER';
  }
}

/**
 * Canonical usage → `usageMetadata`: candidates exclude thoughts (as Gemini counts them), total =
 * prompt + candidates + thoughts.
 */
export function toGeminiUsage(usage: Usage): GeminiUsageMetadata {
  const thoughts = usage.reasoningTokens ?? 0;
  const out: GeminiUsageMetadata = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) out.cachedContentTokenCount = usage.cachedInputTokens;
  if (usage.reasoningTokens !== undefined) out.thoughtsTokenCount = usage.reasoningTokens;
  return out;
}

/** Tool call arguments (JSON text) → `args`; a value that is not an object is wrapped, text that is not JSON too. */
export function toArgs(argumentsText: string): JsonObject {
  if (argumentsText.trim() === '') return {};
  const parsed = tryParseJson(argumentsText);
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  return { value: parsed === undefined ? argumentsText : (parsed as JsonObject[string]) };
}

export function functionCallPart(
  call: Pick<ToolCallPart, 'id' | 'name' | 'arguments'> & { signature?: string | undefined },
): GeminiPart {
  const part: GeminiPart = { functionCall: { id: call.id, name: call.name, args: toArgs(call.arguments) } };
  if (call.signature !== undefined) part.thoughtSignature = call.signature;
  return part;
}

/**
 * One answer's parts in Gemini's order: thoughts (`thought: true`), the text, the function calls.
 * A signature without thought text rides on the next part (or on an empty final text part), the
 * way Gemini sends it.
 */
export function toGeminiParts(reasoning: ReasoningPart[], text: string | null, calls: ToolCallPart[]): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let pending: string | undefined;
  const push = (part: GeminiPart): void => {
    if (pending !== undefined && part.thoughtSignature === undefined) part.thoughtSignature = pending;
    pending = undefined;
    parts.push(part);
  };
  for (const thought of reasoning) {
    if (thought.redactedData !== undefined) continue;
    if (thought.text !== '') push({ text: thought.text, thought: true, ...signed(thought.signature) });
    else if (thought.signature !== undefined) pending = thought.signature;
  }
  if (text !== null && text !== '') push({ text });
  for (const call of calls) push(functionCallPart(call));
  if (pending !== undefined || parts.length === 0) push({ text: '' });
  return parts;
}

function signed(signature: string | undefined): { thoughtSignature?: string } {
  return signature === undefined ? {} : { thoughtSignature: signature };
}
