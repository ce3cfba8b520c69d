/**
 * Steps that replay recorded Anthropic Messages traffic:
 * `anthropicSseStep('anthropic/vercel-ai/anthropic-text.chunks.txt')` (framed with `event:` lines),
 * `anthropicSseStep('anthropic/pydantic-ai/test_anthropic_model_thinking_part_stream.yaml')`,
 * `anthropicJsonStep('anthropic/vercel-ai/anthropic-text.json')`.
 */
import { expectStreaming, jsonStepFrom, type ReplayOptions, recordedExchange, sseStepFrom } from './replay-common.ts';
import type { Step } from './simulator-steps.ts';

/** SSE replay of a `*.chunks.txt`, raw `.txt`/`.sse`, or a streaming cassette interaction (`options.index`). */
export function anthropicSseStep(rel: string, options: ReplayOptions = {}): Step {
  return sseStepFrom(
    expectStreaming(rel, recordedExchange(rel, 'anthropic', options.index), true),
    'anthropic',
    options,
  );
}

/** JSON replay of a vercel-ai `.json` (error bodies get the status their error type implies) or cassette. */
export function anthropicJsonStep(rel: string, options: ReplayOptions = {}): Step {
  return jsonStepFrom(
    expectStreaming(rel, recordedExchange(rel, 'anthropic', options.index), false),
    'anthropic',
    options,
  );
}
