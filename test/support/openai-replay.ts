/**
 * Steps that replay recorded OpenAI Chat Completions traffic:
 * `openaiSseStep('openai/openai-python/<hash>.bin')`, `openaiSseStep('openai/vercel-ai/openai-text.chunks.txt')`,
 * `openaiJsonStep('openai/vercel-ai/openai-text.json')`, `dotnetStep('openai/openai-dotnet/AuthFailure.json')`.
 */
import { expectStreaming, jsonStepFrom, type ReplayOptions, recordedExchange, sseStepFrom } from './replay-common.ts';
import type { Step } from './simulator-steps.ts';

/** SSE replay of a `.bin`, derived `.sse`, `*.chunks.txt` (framed + `[DONE]`), dotnet or cassette stream. */
export function openaiSseStep(rel: string, options: ReplayOptions = {}): Step {
  return sseStepFrom(expectStreaming(rel, recordedExchange(rel, 'openai', options.index), true), 'openai', options);
}

/** JSON replay of a vercel-ai `.json` (byte-exact), dotnet entry or cassette interaction. */
export function openaiJsonStep(rel: string, options: ReplayOptions = {}): Step {
  return jsonStepFrom(expectStreaming(rel, recordedExchange(rel, 'openai', options.index), false), 'openai', options);
}

/** One openai-dotnet SessionRecords entry with its recorded status and headers (x-request-id, x-ratelimit-*...). */
export function dotnetStep(rel: string, entryIndex = 0, options: ReplayOptions = {}): Step {
  const exchange = recordedExchange(rel, 'openai', entryIndex);
  return exchange.response.streaming
    ? sseStepFrom(exchange, 'openai', options)
    : jsonStepFrom(exchange, 'openai', options);
}
