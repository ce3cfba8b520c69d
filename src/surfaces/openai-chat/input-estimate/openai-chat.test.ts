import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFixtureJson } from '../../../../test/support/fixtures.ts';
import { countTextsTokens, loadTokenizer } from '../../../policy/estimate/tokenizer.ts';
import {
  estimateOpenAIChatInput,
  IMAGE_TOKENS,
  LOW_DETAIL_IMAGE_TOKENS,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
} from './openai-chat.ts';

interface RecordedCall {
  name: string;
  body: unknown;
  promptTokens: number;
}

/** Requests recorded by openai-dotnet with the prompt_tokens OpenAI answered (gpt-4o-mini, o3-mini). */
function recordedCalls(): RecordedCall[] {
  const files = [
    'HelloWorldChat.json',
    'TokenLogProbabilities(False).json',
    'O3miniDeveloperMessagesWork.json',
    'ReasoningTokensWork.json',
    'ConsecutiveToolCalls.json',
    'ParallelToolCalls.json',
  ];
  return files.flatMap((file) => {
    const record = readFixtureJson(`openai/openai-dotnet/${file}`) as { Entries: Array<Record<string, unknown>> };
    return record.Entries.flatMap((entry, index) => {
      const response = entry.ResponseBody as { usage?: { prompt_tokens: number } } | undefined;
      if (!response?.usage) return [];
      const raw = entry.RequestBody;
      const body: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
      return [{ name: `${file}#${index}`, body, promptTokens: response.usage.prompt_tokens }];
    });
  });
}

test('estimates are within 6% (or 2 tokens) of the prompt_tokens OpenAI reported', async () => {
  await loadTokenizer();
  const calls = recordedCalls();
  assert.ok(calls.length >= 9, `found ${calls.length} recorded calls`);
  for (const call of calls) {
    const estimate = estimateOpenAIChatInput(call.body, countTextsTokens);
    const allowed = Math.max(2, call.promptTokens * 0.06);
    assert.ok(
      Math.abs(estimate - call.promptTokens) <= allowed,
      `${call.name}: estimated ${estimate}, OpenAI counted ${call.promptTokens}`,
    );
  }
});

test('one user message: text, role and the documented overheads', async () => {
  await loadTokenizer();
  const body = { model: 'm', messages: [{ role: 'user', content: 'This is some text' }] };
  // 'user' 1 + text 4 (known o200k counts)
  assert.equal(
    estimateOpenAIChatInput(body, countTextsTokens),
    TOKENS_PER_MESSAGE + 1 + 4 + REPLY_PRIMING_TOKENS,
    'exact sum',
  );
  const parts = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'This is some text' }] }] };
  assert.equal(
    estimateOpenAIChatInput(parts, countTextsTokens),
    estimateOpenAIChatInput(body, countTextsTokens),
    'text parts count like a string',
  );
});

test('images are a fixed figure each', async () => {
  await loadTokenizer();
  const image = (detail?: string) => ({ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail } });
  const base = estimateOpenAIChatInput({ messages: [{ role: 'user', content: [] }] }, countTextsTokens);
  const body = { messages: [{ role: 'user', content: [image(), image('high'), image('low')] }] };
  assert.equal(
    estimateOpenAIChatInput(body, countTextsTokens),
    base + 2 * IMAGE_TOKENS + LOW_DETAIL_IMAGE_TOKENS,
    'per image',
  );
});

test('malformed bodies never throw', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  let deep: unknown = 'x';
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const throwing = {
    get messages(): unknown {
      throw new Error('boom');
    },
  };
  const bodies: unknown[] = [
    null,
    undefined,
    42,
    'text',
    [],
    throwing,
    { messages: 'not an array' },
    { messages: [null, 1, 'x', [], { role: 7, content: 9, name: {} }] },
    { messages: [{ role: 'user', content: [null, 5, 'bare string', { type: 'image_url' }, { type: 'weird' }] }] },
    { messages: [{ role: 'assistant', tool_calls: [null, { function: null }, { function: { arguments: 10n } }] }] },
    { messages: [{ role: 'assistant', tool_calls: [{ function: { name: 'f', arguments: cyclic } }] }] },
    { messages: [{ role: 'assistant', tool_calls: [{ function: { name: 'f', arguments: deep } }] }] },
    { tools: [null, 'x', { function: { parameters: { properties: { a: null, b: { enum: 'no' } } } } }] },
    { tools: { not: 'an array' }, functions: [cyclic], response_format: { type: 'json_schema', json_schema: cyclic } },
  ];
  for (const body of bodies) {
    const estimate = estimateOpenAIChatInput(body, countTextsTokens);
    assert.ok(Number.isInteger(estimate) && estimate >= 0, `a count for ${typeof body}: ${estimate}`);
  }
});
