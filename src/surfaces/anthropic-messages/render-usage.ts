/** Canonical usage and finish reasons in Anthropic's words (shared by the message and stream renderers). */
import type { FinishReason, Usage } from '../../core/types.ts';

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Anthropic's `input_tokens` leaves out cache reads and writes, which the canonical count includes. */
export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsageOut {
  if (!usage) return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

const ANTHROPIC_STOP_REASONS = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

/** A stop reason Anthropic itself sent is kept; others are mapped from the unified reason. */
export function toAnthropicStopReason(reason: FinishReason | undefined): string {
  if (!reason) return 'end_turn';
  if (reason.raw !== null && ANTHROPIC_STOP_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
