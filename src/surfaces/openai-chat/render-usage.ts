import type { Usage } from '../../core/types.ts';
import type { OpenAIUsage } from '../../protocols/openai-chat.ts';

/**
 * Canonical usage → OpenAI usage. prompt_tokens counts all input, cached included (OpenAI's own
 * rule); completion_tokens counts all output, reasoning included.
 */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const prompt: NonNullable<OpenAIUsage['prompt_tokens_details']> = { cached_tokens: usage.cachedInputTokens ?? 0 };
  if (usage.audioInputTokens !== undefined) prompt.audio_tokens = usage.audioInputTokens;
  if (usage.cacheWriteTokens !== undefined) prompt.cache_write_tokens = usage.cacheWriteTokens;
  const completion: NonNullable<OpenAIUsage['completion_tokens_details']> = {
    reasoning_tokens: usage.reasoningTokens ?? 0,
  };
  if (usage.audioOutputTokens !== undefined) completion.audio_tokens = usage.audioOutputTokens;
  if (usage.acceptedPredictionTokens !== undefined)
    completion.accepted_prediction_tokens = usage.acceptedPredictionTokens;
  if (usage.rejectedPredictionTokens !== undefined)
    completion.rejected_prediction_tokens = usage.rejectedPredictionTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: prompt,
    completion_tokens_details: completion,
  };
}
