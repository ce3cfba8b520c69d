import type { Usage } from '../../core/types.ts';
import type { GeminiModalityTokenCount, GeminiUsageMetadata } from '../../protocols/gemini.ts';
import { tokenCount } from '../token-count.ts';

/**
 * `usageMetadata` → canonical usage. The rule (OpenAI's own: prompt_tokens counts cached input,
 * completion_tokens counts reasoning):
 *
 * - inputTokens (prompt_tokens) = promptTokenCount + toolUsePromptTokenCount. promptTokenCount
 *   already includes cached tokens (GEM-PROTO comment); tool-use prompt tokens (e.g. search
 *   results fed to the model) are input too.
 * - cachedInputTokens (prompt_tokens_details.cached_tokens) = cachedContentTokenCount.
 * - outputTokens (completion_tokens) = candidatesTokenCount + thoughtsTokenCount: candidates
 *   excludes thoughts in current responses (total = prompt + candidates + thoughts, e.g.
 *   google-text.json 9 + 28 + 244 = 281). When the counts show that candidates already included
 *   thoughts (prompt + candidates = total, the older Vertex behaviour litellm guards against), the
 *   thoughts are not added twice.
 * - reasoningTokens (completion_tokens_details.reasoning_tokens) = thoughtsTokenCount.
 * - audio tokens from the AUDIO entries of the per-modality details.
 *
 * Counts that are not non-negative integers (e.g. negative ones) count as absent.
 */
export function fromGeminiUsage(usage: GeminiUsageMetadata): Usage {
  const prompt = tokenCount(usage.promptTokenCount) ?? 0;
  const toolUse = tokenCount(usage.toolUsePromptTokenCount) ?? 0;
  const candidates = tokenCount(usage.candidatesTokenCount) ?? 0;
  const reportedThoughts = tokenCount(usage.thoughtsTokenCount);
  const thoughts = reportedThoughts ?? 0;
  const total = tokenCount(usage.totalTokenCount);
  const thoughtsIncluded = thoughts > 0 && total !== undefined && prompt + toolUse + candidates === total;
  const out: Usage = {
    inputTokens: prompt + toolUse,
    outputTokens: thoughtsIncluded ? candidates : candidates + thoughts,
    estimated: false,
    raw: usage,
  };
  const cached = tokenCount(usage.cachedContentTokenCount);
  if (cached !== undefined) out.cachedInputTokens = cached;
  if (reportedThoughts !== undefined) out.reasoningTokens = reportedThoughts;
  const audioIn = audioTokens(usage.promptTokensDetails);
  if (audioIn !== undefined) out.audioInputTokens = audioIn;
  const audioOut = audioTokens(usage.candidatesTokensDetails);
  if (audioOut !== undefined) out.audioOutputTokens = audioOut;
  return out;
}

function audioTokens(details: GeminiModalityTokenCount[] | undefined): number | undefined {
  const entry = details?.find((detail) => detail.modality === 'AUDIO');
  return tokenCount(entry?.tokenCount);
}
