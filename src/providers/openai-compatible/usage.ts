import type { Usage } from '../../core/types.ts';
import { tokenCount } from '../token-count.ts';
import type { UpstreamUsage } from './wire-types.ts';

/** OpenAI usage → canonical usage. Counts that are not non-negative integers count as absent. */
export function fromOpenAIUsage(usage: UpstreamUsage): Usage {
  const out: Usage = {
    inputTokens: tokenCount(usage.prompt_tokens) ?? 0,
    outputTokens: tokenCount(usage.completion_tokens) ?? 0,
    estimated: false,
    raw: usage,
  };
  const prompt = usage.prompt_tokens_details;
  const completion = usage.completion_tokens_details;
  const optional = {
    cachedInputTokens: tokenCount(prompt?.cached_tokens),
    audioInputTokens: tokenCount(prompt?.audio_tokens),
    cacheWriteTokens: tokenCount(prompt?.cache_write_tokens),
    reasoningTokens: tokenCount(completion?.reasoning_tokens),
    audioOutputTokens: tokenCount(completion?.audio_tokens),
    acceptedPredictionTokens: tokenCount(completion?.accepted_prediction_tokens),
    rejectedPredictionTokens: tokenCount(completion?.rejected_prediction_tokens),
  };
  for (const [key, value] of Object.entries(optional) as Array<[keyof typeof optional, number | undefined]>) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
