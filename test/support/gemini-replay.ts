/**
 * Steps that replay recorded Gemini generateContent / streamGenerateContent traffic:
 * `geminiSseStep('gemini/vercel-ai/google-text.chunks.txt')` (`data: ...\r\n\r\n` frames),
 * `geminiSseStep('gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-basic-reply-short.txt')`,
 * `geminiSseStep('gemini/js-genai/<recording>.json')`, `geminiJsonStep('gemini/vercel-ai/google-text.json')`,
 * `geminiJsonStep('gemini/firebase-vertexai-sdk-test-data/googleai/unary-failure-api-key.json')` (status 400).
 */
import { expectStreaming, jsonStepFrom, type ReplayOptions, recordedExchange, sseStepFrom } from './replay-common.ts';
import type { Step } from './simulator-steps.ts';

/** SSE replay of a `*.chunks.txt`, firebase `.txt`, derived `.sse`, js-genai or cassette stream. */
export function geminiSseStep(rel: string, options: ReplayOptions = {}): Step {
  return sseStepFrom(expectStreaming(rel, recordedExchange(rel, 'gemini', options.index), true), 'gemini', options);
}

/** JSON replay of a vercel-ai / firebase `.json` (status from `error.code`), js-genai or cassette response. */
export function geminiJsonStep(rel: string, options: ReplayOptions = {}): Step {
  return jsonStepFrom(expectStreaming(rel, recordedExchange(rel, 'gemini', options.index), false), 'gemini', options);
}
