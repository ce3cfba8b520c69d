import type { JsonValue, Usage } from '../../core/types.ts';
import type { OpenAIUsage } from '../../protocols/openai-chat.ts';

export function fromOpenAIUsage(usage: OpenAIUsage): Usage {
  const out: Usage = {
    inputTokens: usage.prompt_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    estimated: false,
    raw: usage as unknown as JsonValue,
  };
  const prompt = usage.prompt_tokens_details;
  const completion = usage.completion_tokens_details;
  if (typeof prompt?.cached_tokens === 'number') out.cachedInputTokens = prompt.cached_tokens;
  if (typeof prompt?.audio_tokens === 'number') out.audioInputTokens = prompt.audio_tokens;
  if (typeof prompt?.cache_write_tokens === 'number') out.cacheWriteTokens = prompt.cache_write_tokens;
  if (typeof completion?.reasoning_tokens === 'number') out.reasoningTokens = completion.reasoning_tokens;
  if (typeof completion?.audio_tokens === 'number') out.audioOutputTokens = completion.audio_tokens;
  if (typeof completion?.accepted_prediction_tokens === 'number') {
    out.acceptedPredictionTokens = completion.accepted_prediction_tokens;
  }
  if (typeof completion?.rejected_prediction_tokens === 'number') {
    out.rejectedPredictionTokens = completion.rejected_prediction_tokens;
  }
  return out;
}
