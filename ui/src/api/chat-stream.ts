import { authHeaders, errorOf } from './client.ts';
import type { Usage } from './types.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamResult {
  usage: Usage | null;
  /** From the x-llmux-cost-usd header when the server sends it. */
  costUsd: number | null;
  model: string | null;
  finishReason: string | null;
  requestId: string | null;
}

interface Chunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: Usage | null;
  error?: { message?: string };
}

/** Streams a chat completion from the admin playground, calling onText for every piece of text. */
export async function streamChat(
  model: string,
  messages: ChatMessage[],
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<StreamResult> {
  const response = await fetch('/admin/playground/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders() },
    body: JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true } }),
    signal,
  });
  if (!response.ok || !response.body) throw await errorOf(response);
  const cost = response.headers.get('x-llmux-cost-usd');
  const result: StreamResult = {
    usage: null,
    costUsd: cost === null || cost === '' ? null : Number(cost),
    model: null,
    finishReason: null,
    requestId: response.headers.get('x-request-id'),
  };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const events = buffer.split(/\r?\n\r?\n/);
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data === '' || data === '[DONE]') continue;
      const chunk = JSON.parse(data) as Chunk;
      if (chunk.error) throw new Error(chunk.error.message ?? 'The stream ended with an error.');
      if (chunk.model) result.model = chunk.model;
      if (chunk.usage) result.usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        if (choice.delta?.content) onText(choice.delta.content);
        if (choice.finish_reason) result.finishReason = choice.finish_reason;
      }
    }
  }
  return result;
}
