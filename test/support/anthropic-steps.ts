/**
 * Hand-built Anthropic Messages answers for the upstream simulator: the SSE events of a streamed
 * message, whole answers and error bodies (recorded traffic lives in anthropic-replay.ts).
 */
import type { Step } from './simulator-steps.ts';

/** One SSE event: its name and JSON data. */
export const anthropicEvent = (event: string, data: Record<string, unknown>): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function anthropicMessageStart(usage = { input_tokens: 5, output_tokens: 1 }): string {
  return anthropicEvent('message_start', {
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

export const anthropicBlockStart = anthropicEvent('content_block_start', {
  type: 'content_block_start',
  index: 0,
  content_block: { type: 'text', text: '' },
});

export const anthropicDelta = (text: string): string =>
  anthropicEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });

/** The events that end a message: block stop, the final usage, message stop. */
export function anthropicFinish(outputTokens = 2): string[] {
  return [
    anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    anthropicEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
    anthropicEvent('message_stop', { type: 'message_stop' }),
  ];
}

/** A mid-stream `error` event. */
export function anthropicErrorEvent(message = 'Overloaded', type = 'overloaded_error'): string {
  return anthropicEvent('error', { type: 'error', error: { type, message } });
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

/** A whole streamed message with one text delta. */
export function anthropicStream(text = 'ok'): Step {
  return {
    kind: 'sse-events',
    events: [anthropicMessageStart(), anthropicBlockStart, anthropicDelta(text), ...anthropicFinish()],
  };
}

const anthropicErrorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** An HTTP error in Anthropic's envelope, its type the one Anthropic uses for `status`. */
export function anthropicError(status: number, message = `simulated ${status}`): Step {
  return {
    kind: 'json',
    status,
    body: { type: 'error', error: { type: anthropicErrorTypes[status] ?? 'api_error', message } },
  };
}
