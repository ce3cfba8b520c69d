import assert from 'node:assert/strict';
import type OpenAI from 'openai';

/** Helpers shared by the end-to-end tests that drive llmux with the official `openai` SDK. */

export type ChatChunk = OpenAI.Chat.ChatCompletionChunk;

export async function collectChunks(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export const deltas = (chunks: ChatChunk[]) => chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));

/** The streamed text of one choice. */
export function contentOf(chunks: ChatChunk[], index = 0): string {
  return chunks
    .flatMap((chunk) => chunk.choices.filter((choice) => choice.index === index))
    .map((choice) => choice.delta.content ?? '')
    .join('');
}

/** Awaits a call that must fail with the given SDK error class, and returns that error. */
export async function rejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}
