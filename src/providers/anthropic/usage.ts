import type { JsonValue, Usage } from '../../core/types.ts';
import type { AnthropicUsage } from '../../protocols/anthropic-messages.ts';
import { tokenCount } from '../token-count.ts';

/** Counts that are not non-negative integers (e.g. negative ones) count as 0. */
function count(value: unknown): number {
  return tokenCount(value) ?? 0;
}

/**
 * Anthropic usage → canonical usage.
 *
 * Anthropic's `input_tokens` counts only the uncached input: cache reads
 * (`cache_read_input_tokens`) and cache writes (`cache_creation_input_tokens`) are separate,
 * disjoint counts. The canonical `inputTokens` is ALL input (OpenAI's `prompt_tokens` rule), so
 * inputTokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens,
 * cachedInputTokens = cache_read_input_tokens, cacheWriteTokens = cache_creation_input_tokens.
 * `output_tokens` already includes thinking; `output_tokens_details.thinking_tokens`, when present,
 * is the reasoning share.
 */
export function fromAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const out: Usage = {
    inputTokens: count(usage.input_tokens) + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: count(usage.output_tokens),
    estimated: false,
    raw: usage as JsonValue,
  };
  const thinking = tokenCount(usage.output_tokens_details?.thinking_tokens);
  if (thinking !== undefined) out.reasoningTokens = thinking;
  return out;
}

/**
 * Stream usage: `message_start` carries the input side, each `message_delta` carries cumulative
 * counts (older API versions only `output_tokens`, current ones repeat input and cache counts, and
 * some compatible servers send a different `input_tokens` there). Fields present in the later
 * object win.
 */
export function mergeAnthropicUsage(start: AnthropicUsage | undefined, delta: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...start };
  for (const [key, value] of Object.entries(delta)) if (value !== null && value !== undefined) merged[key] = value;
  return merged;
}

/** `usage.service_tier` in OpenAI's vocabulary: standard → default, priority → priority (else none). */
export function fromAnthropicServiceTier(tier: unknown): string | undefined {
  if (tier === 'standard') return 'default';
  if (tier === 'priority') return 'priority';
  return undefined;
}
