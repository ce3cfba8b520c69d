/**
 * Recorded non-streaming OpenAI bodies → fromOpenAIChatCompletion → toOpenAIChatCompletion: the translated
 * path must give an OpenAI client back the body the upstream sent (nothing invented, nothing dropped).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturePath } from '../../../test/support/fixture-paths.ts';
import type { ChatResult } from '../../core/types.ts';
import { fromOpenAIChatCompletion } from '../../providers/openai-compatible/response.ts';
import { toOpenAIChatCompletion, toOpenAIFinishReason } from './render-response.ts';

type Json = { [key: string]: unknown };

const fixturesRoot = fixturePath('openai');
const readJson = (rel: string): unknown => JSON.parse(readFileSync(join(fixturesRoot, rel), 'utf8'));

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every recorded 200 chat.completion body. */
function recordedCompletions(): Array<{ name: string; body: Json }> {
  const out: Array<{ name: string; body: Json }> = [];
  for (const file of readdirSync(join(fixturesRoot, 'openai-dotnet')).sort()) {
    const record = readJson(`openai-dotnet/${file}`);
    const entries = isJson(record) && Array.isArray(record.Entries) ? record.Entries : [];
    entries.forEach((entry: unknown, index: number) => {
      if (isJson(entry) && entry.StatusCode === 200 && isJson(entry.ResponseBody)) {
        out.push({ name: `${file} #${index}`, body: entry.ResponseBody });
      }
    });
  }
  for (const file of ['openai-text.json', 'issue-8132-long-tool-call-id.json']) {
    const body = readJson(`vercel-ai/${file}`);
    assert.ok(isJson(body), 'isJson(body)');
    out.push({ name: file, body });
  }
  const cached = readJson('vercel-ai/openai-chat-cached-input-tokens-11178.json');
  const attempts = isJson(cached) && Array.isArray(cached.attempts) ? cached.attempts : [];
  attempts.forEach((attempt: unknown, index: number) => {
    if (isJson(attempt) && isJson(attempt.rawResponseBody))
      out.push({ name: `cached-input-tokens #${index}`, body: attempt.rawResponseBody });
  });
  return out;
}

/** OpenAI's documented shape: every choice has `logprobs` (null when not asked); some recordings leave it out. */
function withLogprobsKey(body: Json): Json {
  const choices = Array.isArray(body.choices) ? body.choices : [];
  return {
    ...body,
    choices: choices.map((choice) =>
      isJson(choice) && !('logprobs' in choice) ? { ...choice, logprobs: null } : choice,
    ),
  };
}

describe('toOpenAIChatCompletion(fromOpenAIChatCompletion(recorded))', () => {
  const bodies = recordedCompletions();

  it('has the recorded bodies', () => {
    assert.equal(bodies.length, 13);
  });

  for (const { name, body } of bodies) {
    it(`gives back ${name}`, () => {
      const rendered = JSON.parse(JSON.stringify(toOpenAIChatCompletion(fromOpenAIChatCompletion(body)))) as unknown;
      assert.deepEqual(rendered, withLogprobsKey(body));
    });
  }

  it('keeps cached and reasoning token counts', () => {
    const cached = bodies.find((entry) => entry.name === 'cached-input-tokens #1');
    assert.ok(cached, 'cached');
    const usage = fromOpenAIChatCompletion(cached.body).usage;
    assert.equal(usage?.cachedInputTokens, 9984);
    assert.equal(usage?.inputTokens, 10122);
    const reasoning = bodies.find((entry) => entry.name === 'ReasoningTokensWork.json #0');
    assert.ok(reasoning, 'reasoning');
    assert.ok(
      (fromOpenAIChatCompletion(reasoning.body).usage?.reasoningTokens ?? 0) > 0,
      '(fromOpenAIChatCompletion(reasoning.body).usage?.reasoningTokens ?? 0) > 0',
    );
  });
});

describe('toOpenAIChatCompletion for translated results', () => {
  const result = (choice: Partial<ChatResult['choices'][number]>): ChatResult => ({
    id: 'chatcmpl-1',
    model: 'claude-x',
    created: 7,
    choices: [
      {
        index: 0,
        text: null,
        refusal: null,
        reasoning: [],
        toolCalls: [],
        citations: [],
        logprobs: null,
        finishReason: { unified: 'stop', raw: 'end_turn' },
        ...choice,
      },
    ],
  });

  it('content is "" for an empty answer, null beside tool calls or a refusal', () => {
    assert.equal(toOpenAIChatCompletion(result({})).choices[0]?.message.content, '');
    const withCall = toOpenAIChatCompletion(
      result({ toolCalls: [{ type: 'tool-call', id: 't1', name: 'f', arguments: '{}' }] }),
    );
    assert.equal(withCall.choices[0]?.message.content, null);
    assert.deepEqual(withCall.choices[0]?.message.tool_calls, [
      { id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } },
    ]);
    assert.equal(toOpenAIChatCompletion(result({ refusal: 'no' })).choices[0]?.message.content, null);
  });

  it('reasoning, citations and no invented fields', () => {
    const completion = toOpenAIChatCompletion(
      result({
        text: 'A',
        reasoning: [
          { type: 'reasoning', text: 'think', signature: 'sig' },
          { type: 'reasoning', text: '', redactedData: 'opaque' },
        ],
        citations: [{ url: 'https://example.com', title: 'Ex', startIndex: 0, endIndex: 1 }],
      }),
    );
    const message = completion.choices[0]?.message;
    assert.equal(message?.reasoning_content, 'think');
    assert.deepEqual(message?.reasoning_details, [
      { type: 'reasoning.text', text: 'think', signature: 'sig' },
      { type: 'reasoning.redacted', data: 'opaque' },
    ]);
    assert.deepEqual(message?.annotations, [
      { type: 'url_citation', url_citation: { url: 'https://example.com', title: 'Ex', start_index: 0, end_index: 1 } },
    ]);
    assert.equal(completion.usage, undefined);
    assert.equal(completion.service_tier, null);
    assert.equal(completion.system_fingerprint, null);
  });

  it('finish reasons OpenAI does not know are reported as stop', () => {
    assert.equal(toOpenAIFinishReason({ unified: 'length', raw: 'max_tokens' }), 'length');
    assert.equal(toOpenAIFinishReason({ unified: 'content_filter', raw: 'SAFETY' }), 'content_filter');
    assert.equal(toOpenAIFinishReason({ unified: 'error', raw: 'MALFORMED_FUNCTION_CALL' }), 'stop');
    assert.equal(toOpenAIFinishReason({ unified: 'other', raw: null }), 'stop');
  });
});
