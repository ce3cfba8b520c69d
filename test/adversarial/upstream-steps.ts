/**
 * Scripted upstream answers for the adversarial suite: a well-behaved answer per provider (the
 * simulators' default), and the faults the probe of issue 12 replayed.
 */
import {
  anthropicAnswer,
  anthropicBlockStart,
  anthropicDelta,
  anthropicMessageStart,
  anthropicStream,
} from '../support/anthropic-steps.ts';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import type { SimRequest, Step } from '../support/upstream-simulator.ts';

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const wantsStream = (req: SimRequest): boolean => record(req.json).stream === true;

// --- OpenAI-compatible (the rest is in ../support/openai-steps.ts) -------------------------------

export function openAIError(status: number, error: Record<string, unknown>): Step {
  return { kind: 'json', status, body: { error } };
}

// --- Anthropic (the rest is in ../support/anthropic-steps.ts) ----------------------------------

/** Headers and the first events, then silence until the client leaves (a sibling still streaming). */
export const anthropicStillStreaming: Step = {
  kind: 'sse-events',
  events: [anthropicMessageStart(), anthropicBlockStart, anthropicDelta('partial')],
  thenStallMs: 60_000,
};

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
export const openAIDefault = (req: SimRequest): Step =>
  wantsStream(req) ? { kind: 'sse-events', events: openAIStreamFrames(['ok']) } : openAIAnswer();

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
