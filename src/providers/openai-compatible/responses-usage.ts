import type { Usage } from '../../core/types.ts';
import { isRecord } from '../../lib/json.ts';
import { tokenCount } from '../token-count.ts';

/**
 * A Responses API `usage` object (`input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`,
 * `output_tokens_details.reasoning_tokens`) → canonical usage; undefined when it has no counts.
 */
export function fromResponsesUsage(raw: unknown): Usage | undefined {
  if (!isRecord(raw)) return undefined;
  const inputTokens = tokenCount(raw.input_tokens);
  const outputTokens = tokenCount(raw.output_tokens);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const usage: Usage = { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0, estimated: false };
  const cached = tokenCount(isRecord(raw.input_tokens_details) ? raw.input_tokens_details.cached_tokens : undefined);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = tokenCount(
    isRecord(raw.output_tokens_details) ? raw.output_tokens_details.reasoning_tokens : undefined,
  );
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}
