/**
 * Scripted upstream answers for the adversarial suite: a well-behaved answer per provider (the
 * simulators' default), and the faults the probe of issue 12 replayed.
 */
import type { SimRequest, Step } from '../support/upstream-simulator.ts';

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const wantsStream = (req: SimRequest): boolean => record(req.json).stream === true;

// --- OpenAI-compatible ------------------------------------------------------------------------

export function openAIAnswer(content = 'ok', usage = { prompt_tokens: 5, completion_tokens: 2 }): Step {
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-sim',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'up-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

export function openAIChunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-sim',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'up-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export function openAIUsageChunk(usage: { prompt_tokens: number; completion_tokens: number }): string {
  const chunk = {
    id: 'chatcmpl-sim',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'up-model',
    choices: [],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export function openAIStream(content = 'ok', usage = { prompt_tokens: 5, completion_tokens: 2 }): Step {
  return {
    kind: 'sse-events',
    events: [
      openAIChunk({ role: 'assistant', content }),
      openAIChunk({}, 'stop'),
      openAIUsageChunk(usage),
      'data: [DONE]\n\n',
    ],
  };
}

export function openAIError(status: number, error: Record<string, unknown>): Step {
  return { kind: 'json', status, body: { error } };
}

// --- Anthropic --------------------------------------------------------------------------------

const anthropicSse = (event: string, data: Record<string, unknown>): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function anthropicMessageStart(usage = { input_tokens: 5, output_tokens: 1 }): string {
  return anthropicSse('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_sim',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });
}

export const anthropicBlockStart = anthropicSse('content_block_start', {
  type: 'content_block_start',
  index: 0,
  content_block: { type: 'text', text: '' },
});

export const anthropicDelta = (text: string): string =>
  anthropicSse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });

export function anthropicFinish(outputTokens = 2): string[] {
  return [
    anthropicSse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    anthropicSse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
    anthropicSse('message_stop', { type: 'message_stop' }),
  ];
}

export function anthropicAnswer(text = 'ok', usage = { input_tokens: 5, output_tokens: 2 }): Step {
  return {
    kind: 'json',
    body: {
      id: 'msg_sim',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    },
  };
}

export function anthropicStream(text = 'ok'): Step {
  return {
    kind: 'sse-events',
    events: [anthropicMessageStart(), anthropicBlockStart, anthropicDelta(text), ...anthropicFinish()],
  };
}

/** Headers and the first events, then silence until the client leaves (a sibling still streaming). */
export const anthropicStillStreaming: Step = {
  kind: 'sse-events',
  events: [anthropicMessageStart(), anthropicBlockStart, anthropicDelta('partial')],
  thenStallMs: 60_000,
};

const anthropicErrorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function anthropicError(status: number, message = `simulated ${status}`): Step {
  return {
    kind: 'json',
    status,
    body: { type: 'error', error: { type: anthropicErrorTypes[status] ?? 'api_error', message } },
  };
}

// --- Gemini -----------------------------------------------------------------------------------

export function geminiResponse(
  text = 'ok',
  usage = { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usage,
    modelVersion: 'gemini-test',
  };
}

export function geminiAnswer(text = 'ok'): Step {
  return { kind: 'json', body: geminiResponse(text) };
}

export function geminiStream(text = 'ok'): Step {
  return { kind: 'sse-events', events: [`data: ${JSON.stringify(geminiResponse(text))}\r\n\r\n`] };
}

export function geminiError(status: number, message: string, details: unknown[] = []): Step {
  const statusNames: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    403: 'PERMISSION_DENIED',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
  };
  return {
    kind: 'json',
    status,
    body: { error: { code: status, message, status: statusNames[status] ?? 'UNKNOWN', details } },
  };
}

// --- Well-behaved defaults --------------------------------------------------------------------

export const anthropicDefault = (req: SimRequest): Step => (wantsStream(req) ? anthropicStream() : anthropicAnswer());
export const geminiDefault = (req: SimRequest): Step =>
  req.path.includes(':streamGenerateContent') ? geminiStream() : geminiAnswer();
export const openAIDefault = (req: SimRequest): Step => (wantsStream(req) ? openAIStream() : openAIAnswer());

// --- Oversized bodies -------------------------------------------------------------------------

/** `prefix`, then `size` bytes of "a", then `suffix`: one allocation, written in 64 KB pieces. */
export function padded(prefix: string, size: number, suffix = ''): Buffer {
  const head = Buffer.from(prefix);
  const tail = Buffer.from(suffix);
  const out = Buffer.alloc(head.length + size + tail.length, 'a');
  head.copy(out, 0);
  tail.copy(out, head.length + size);
  return out;
}

/**
 * An SSE `data:` line that does not end within `size` bytes. Bounded (the suite must stay bounded
 * even on a gateway without a cap), but far above any sane per-event limit.
 */
export function endlessSseLine(size: number, prefix = 'data: {"x":"'): Step {
  return { kind: 'sse', body: padded(prefix, size), chunkBytes: 64 * 1024 };
}

/** `step`, played after `ms`. */
export function delayed(ms: number, step: Step): Step {
  // biome-ignore lint/suspicious/noThenProperty: the simulator's step format names its continuation `then`
  return { kind: 'delay', ms, then: step };
}
