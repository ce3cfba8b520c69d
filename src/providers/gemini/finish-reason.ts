import type { FinishReason, UnifiedFinishReason } from '../../core/types.ts';

/**
 * Gemini `finishReason` (Candidate.FinishReason in GEM-PROTO) → unified finish reason. Safety,
 * recitation, blocklist and other policy stops are `content_filter` (litellm's table; Portkey maps
 * RECITATION to stop, vercel/ai agrees with us). Tool-call failures are `error`; OTHER, unspecified
 * and unknown values are `other` (both render as OpenAI `stop`). STOP after a functionCall is
 * `tool_calls` (litellm PR #10485): Gemini reports STOP for tool turns, in streams often in a later
 * event than the call itself, so the caller passes whether the choice produced tool calls.
 */
const TABLE: Record<string, UnifiedFinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  LANGUAGE: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  IMAGE_OTHER: 'content_filter',
  MODEL_ARMOR: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  MALFORMED_RESPONSE: 'error',
  NO_IMAGE: 'other',
  OTHER: 'other',
  FINISH_REASON_UNSPECIFIED: 'other',
};

export function mapGeminiFinishReason(raw: string, sawToolCalls: boolean): FinishReason {
  const unified = TABLE[raw] ?? 'other';
  return { unified: unified === 'stop' && sawToolCalls ? 'tool_calls' : unified, raw };
}

/**
 * A blocked prompt (`promptFeedback.blockReason`, no candidates; BlockReason SAFETY, OTHER,
 * BLOCKLIST, PROHIBITED_CONTENT, IMAGE_SAFETY, Vertex MODEL_ARMOR) is one empty choice finished
 * with `content_filter`, as litellm does.
 */
export function mapGeminiBlockReason(raw: string): FinishReason {
  return { unified: 'content_filter', raw };
}
