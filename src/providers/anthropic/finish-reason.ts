import type { FinishReason } from '../../core/types.ts';

/**
 * Anthropic `stop_reason` → unified finish reason:
 * end_turn / stop_sequence → stop; max_tokens / model_context_window_exceeded → length;
 * tool_use → tool_calls (stop when the only call was llmux's JSON response tool); refusal →
 * content_filter; pause_turn (a server tool paused the turn), compaction and anything unknown →
 * other (rendered as `stop` to OpenAI clients, the raw value kept).
 */
export function mapAnthropicStopReason(raw: string | null | undefined, onlyJsonTool = false): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: onlyJsonTool ? 'stop' : 'tool_calls', raw };
    case 'refusal':
      return { unified: 'content_filter', raw };
    case null:
    case undefined:
      return { unified: 'other', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
