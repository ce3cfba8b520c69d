import type { ChoiceLogprobs, TokenLogprob } from '../../core/types.ts';
import type { GeminiLogprobCandidate, GeminiLogprobsResult } from '../../protocols/gemini.ts';

/**
 * `logprobsResult` → OpenAI logprobs: one entry per chosen token, with the top candidates of the
 * same decoding step as `top_logprobs` (litellm `_transform_logprobs`). Gemini gives no bytes, so
 * they are computed from the token text (UTF-8), as OpenAI reports them.
 */
export function fromGeminiLogprobs(result: GeminiLogprobsResult): ChoiceLogprobs | null {
  const chosen = result.chosenCandidates ?? [];
  if (chosen.length === 0) return null;
  const content = chosen.map((candidate, step): TokenLogprob => {
    const top = result.topCandidates?.[step]?.candidates ?? [];
    return { ...toEntry(candidate), top_logprobs: top.map(toEntry) };
  });
  return { content, refusal: null };
}

function toEntry(candidate: GeminiLogprobCandidate): { token: string; logprob: number; bytes: number[] | null } {
  const token = candidate.token ?? '';
  return { token, logprob: candidate.logProbability ?? 0, bytes: [...Buffer.from(token, 'utf8')] };
}
