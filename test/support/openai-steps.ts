/**
 * Hand-built OpenAI chat completions for the upstream simulator: whole answers and the SSE frames
 * of a streamed one (recorded traffic lives in openai-replay.ts).
 */
import type { Step } from './simulator-steps.ts';

type Usage = { prompt_tokens: number; completion_tokens: number };

const withTotal = (usage: Usage) => ({ ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens });

/** A complete chat completion answering `content`. */
export function openAIAnswer(content = 'ok', usage: Usage = { prompt_tokens: 5, completion_tokens: 3 }): Step {
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-sim',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'sim-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: withTotal(usage),
    },
  };
}

/** One `chat.completion.chunk` SSE frame (with optional usage, as vLLM's continuous usage stats send). */
export function openAIChunk(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
  usage?: Record<string, number>,
): string {
  const chunk: Record<string, unknown> = {
    id: 'chatcmpl-sim',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'sim-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  if (usage) chunk.usage = usage;
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The usage-only frame that ends a stream with `stream_options.include_usage`. */
export function openAIUsageChunk(usage: Usage): string {
  const chunk = {
    id: 'chatcmpl-sim',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'sim-model',
    choices: [],
    usage: withTotal(usage),
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A whole streamed answer: one frame per piece, a finish frame, a usage frame and [DONE]. */
export function openAIStreamFrames(
  pieces: string[],
  usage: Usage = { prompt_tokens: 5, completion_tokens: pieces.length },
): string[] {
  return [
    ...pieces.map((piece, index) =>
      openAIChunk(index === 0 ? { role: 'assistant', content: piece } : { content: piece }),
    ),
    openAIChunk({}, 'stop'),
    openAIUsageChunk(usage),
    'data: [DONE]\n\n',
  ];
}
