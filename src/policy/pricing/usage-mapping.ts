import type { Usage as GenaiUsage } from '@pydantic/genai-prices';
import type { Usage } from '../../core/types.ts';
import { tokens } from './micros.ts';

/** The counts a price needs, clamped so cache and audio partitions never exceed their totals. */
export interface UsageParts {
  /** All input, cached and cache writes included. */
  input: number;
  cacheRead: number;
  cacheWrite: number;
  /** The 1-hour share of the cache writes (Anthropic's `cache_creation.ephemeral_1h_input_tokens`). */
  cacheWrite1h: number;
  audioInput: number;
  /** All output, reasoning included. */
  output: number;
  reasoning: number;
  audioOutput: number;
}

export function usageParts(usage: Usage): UsageParts {
  const input = tokens(usage.inputTokens);
  const output = tokens(usage.outputTokens);
  const cacheRead = Math.min(tokens(usage.cachedInputTokens), input);
  const cacheWrite = Math.min(tokens(usage.cacheWriteTokens), input - cacheRead);
  return {
    input,
    cacheRead,
    cacheWrite,
    cacheWrite1h: Math.min(oneHourCacheWrites(usage.raw), cacheWrite),
    audioInput: Math.min(tokens(usage.audioInputTokens), input),
    output,
    reasoning: Math.min(tokens(usage.reasoningTokens), output),
    audioOutput: Math.min(tokens(usage.audioOutputTokens), output),
  };
}

/**
 * genai-prices usage: `input_tokens` is ALL input (the same rule as ours) and the cache, audio and
 * reasoning counts are partitions of their totals, priced at their own rate when the model has one
 * and at the plain input/output rate otherwise.
 */
export function toGenaiUsage(parts: UsageParts): GenaiUsage {
  const usage: GenaiUsage = { input_tokens: parts.input, output_tokens: parts.output };
  if (parts.cacheRead > 0) usage.cache_read_tokens = parts.cacheRead;
  if (parts.cacheWrite > 0) usage.cache_write_tokens = parts.cacheWrite;
  if (parts.cacheWrite1h > 0) usage.cache_write_1h_tokens = parts.cacheWrite1h;
  if (parts.audioInput > 0) {
    usage.input_audio_tokens = parts.audioInput;
    // Which cached tokens were audio is not in our usage: take them as text first (uncached audio
    // is the dearest input), so models that price cached audio get the overlap they require.
    if (parts.cacheRead > 0)
      usage.cache_audio_read_tokens = Math.max(0, parts.cacheRead - (parts.input - parts.audioInput));
  }
  if (parts.reasoning > 0) usage.output_reasoning_tokens = parts.reasoning;
  if (parts.audioOutput > 0) usage.output_audio_tokens = parts.audioOutput;
  return usage;
}

/** Input, cache reads/writes and output only: what every priced model accepts. */
export function toCoreGenaiUsage(parts: UsageParts): GenaiUsage {
  return {
    input_tokens: parts.input,
    cache_read_tokens: parts.cacheRead,
    cache_write_tokens: parts.cacheWrite,
    output_tokens: parts.output,
  };
}

function oneHourCacheWrites(raw: Usage['raw']): number {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 0;
  const creation = raw.cache_creation;
  if (typeof creation !== 'object' || creation === null || Array.isArray(creation)) return 0;
  const oneHour = creation.ephemeral_1h_input_tokens;
  return typeof oneHour === 'number' ? tokens(oneHour) : 0;
}
