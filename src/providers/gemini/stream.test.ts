/**
 * Stream parser cases no recording shows: several candidates (candidateCount), logprobsResult,
 * candidatesTokenCount that already includes thoughts, ids sent by Gemini, Vertex partialArgs
 * paths, and responses without any candidate or feedback. Payload shapes follow the v1beta protos.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chunksOf,
  completionOf,
  foldChunks,
  geminiTarget,
} from '../../../test/support/providers/gemini/test-helpers.ts';
import { collect } from '../../core/collect.ts';
import type { StreamEvent } from '../../core/types.ts';
import { geminiAdapter } from './index.ts';
import { PartialArgs } from './partial-args.ts';
import { GeminiStreamParser } from './stream.ts';
import { fromGeminiUsage } from './usage.ts';

function feed(payloads: unknown[]): StreamEvent[] {
  const parser = new GeminiStreamParser(geminiTarget());
  const events = payloads.flatMap((payload) => parser.push({ event: undefined, data: JSON.stringify(payload) }));
  return [...events, ...parser.end()];
}

const text = (index: number, value: string, finishReason?: string) => ({
  index,
  content: { role: 'model', parts: [{ text: value }] },
  ...(finishReason ? { finishReason } : {}),
});

describe('Gemini stream parser', () => {
  it('candidateCount 2: candidates map to choice indexes, each with its own finish and tool indexes', () => {
    const events = feed([
      { candidates: [text(0, 'Hel'), text(1, 'Bon')], responseId: 'r1', modelVersion: 'gemini-2.5-flash' },
      {
        candidates: [
          text(0, 'lo', 'STOP'),
          { index: 1, content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] } },
        ],
      },
      {
        candidates: [text(1, '', 'STOP')],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 6, totalTokenCount: 10 },
      },
    ]);
    const completion = completionOf(events);
    assert.equal(completion.id, 'r1');
    assert.deepEqual(
      completion.choices.map((choice) => [
        choice.index,
        choice.message.content,
        choice.finish_reason,
        choice.message.tool_calls?.length ?? 0,
      ]),
      [
        [0, 'Hello', 'stop', 0],
        [1, 'Bon', 'tool_calls', 1],
      ],
    );
    const folded = foldChunks(chunksOf(events));
    assert.deepEqual([...folded.keys()], [0, 1]);
    assert.equal(folded.get(1)?.tools[0]?.arguments, '{"a":1}');
    assert.deepEqual([completion.usage?.prompt_tokens, completion.usage?.completion_tokens], [4, 6]);
  });

  it('a candidate without index takes its position', () => {
    const events = feed([
      {
        candidates: [
          { content: { parts: [{ text: 'a' }] }, finishReason: 'STOP' },
          { content: { parts: [{ text: 'b' }] }, finishReason: 'MAX_TOKENS' },
        ],
      },
    ]);
    assert.deepEqual(
      completionOf(events).choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason]),
      [
        [0, 'a', 'stop'],
        [1, 'b', 'length'],
      ],
    );
  });

  it('logprobsResult → OpenAI logprobs content with top_logprobs (streamed and folded)', () => {
    const step = (token: string, logProbability: number, top: Array<[string, number]>) => ({
      chosen: { token, logProbability },
      top: { candidates: top.map(([t, l]) => ({ token: t, logProbability: l })) },
    });
    const steps1 = [
      step('Hi', -0.1, [
        ['Hi', -0.1],
        ['Hey', -2.5],
      ]),
    ];
    const steps2 = [step(' é', -0.5, [[' é', -0.5]])];
    const payload = (steps: typeof steps1, finishReason?: string) => ({
      candidates: [
        {
          index: 0,
          content: { parts: [{ text: steps.map((s) => s.chosen.token).join('') }] },
          logprobsResult: { topCandidates: steps.map((s) => s.top), chosenCandidates: steps.map((s) => s.chosen) },
          ...(finishReason ? { finishReason } : {}),
        },
      ],
    });
    const events = feed([payload(steps1), payload(steps2, 'STOP')]);
    const logprobs = completionOf(events).choices[0]?.logprobs;
    assert.deepEqual(logprobs, {
      content: [
        {
          token: 'Hi',
          logprob: -0.1,
          bytes: [72, 105],
          top_logprobs: [
            { token: 'Hi', logprob: -0.1, bytes: [72, 105] },
            { token: 'Hey', logprob: -2.5, bytes: [72, 101, 121] },
          ],
        },
        {
          token: ' é',
          logprob: -0.5,
          bytes: [32, 195, 169],
          top_logprobs: [{ token: ' é', logprob: -0.5, bytes: [32, 195, 169] }],
        },
      ],
      refusal: null,
    });
    const chunkLogprobs = chunksOf(events).flatMap((chunk) =>
      chunk.choices.flatMap((choice) => choice.logprobs?.content ?? []),
    );
    assert.equal(chunkLogprobs.length, 2);
  });

  it('usage: thoughts are added to completion unless candidatesTokenCount already includes them; tool-use prompt tokens are input', () => {
    const excluded = fromGeminiUsage({
      promptTokenCount: 9,
      candidatesTokenCount: 28,
      thoughtsTokenCount: 244,
      totalTokenCount: 281,
    });
    assert.deepEqual([excluded.inputTokens, excluded.outputTokens, excluded.reasoningTokens], [9, 272, 244]);
    const included = fromGeminiUsage({
      promptTokenCount: 9,
      candidatesTokenCount: 272,
      thoughtsTokenCount: 244,
      totalTokenCount: 281,
    });
    assert.deepEqual([included.inputTokens, included.outputTokens, included.reasoningTokens], [9, 272, 244]);
    const tools = fromGeminiUsage({
      promptTokenCount: 10,
      cachedContentTokenCount: 4,
      toolUsePromptTokenCount: 30,
      candidatesTokenCount: 5,
      totalTokenCount: 45,
    });
    assert.deepEqual([tools.inputTokens, tools.cachedInputTokens, tools.outputTokens], [40, 4, 5]);
  });

  it('usage events only when usageMetadata changes; the last one wins', () => {
    const usage = { promptTokenCount: 3, totalTokenCount: 3 };
    const events = feed([
      { candidates: [text(0, 'a')], usageMetadata: usage },
      { candidates: [text(0, 'b')], usageMetadata: usage },
      {
        candidates: [text(0, 'c', 'STOP')],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 3, totalTokenCount: 6 },
      },
    ]);
    assert.equal(events.filter((event) => event.type === 'usage').length, 2);
    assert.equal(collect(events).usage?.outputTokens, 3);
  });

  it('function call ids sent by Gemini are kept; synthesized ones are unique', () => {
    const events = feed([
      {
        candidates: [
          {
            content: {
              parts: [{ functionCall: { id: 'fc-1', name: 'a' } }, { functionCall: { name: 'b', args: {} } }],
            },
            finishReason: 'STOP',
          },
        ],
      },
    ]);
    const calls = collect(events).choices[0]?.toolCalls ?? [];
    assert.equal(calls[0]?.id, 'fc-1');
    assert.match(calls[1]?.id ?? '', /^call_[0-9a-f]{24}$/);
  });

  it('finish reasons: MALFORMED_FUNCTION_CALL is an error (stop for OpenAI), unknown values are other', () => {
    const reason = (raw: string) =>
      feed([{ candidates: [{ content: {}, finishReason: raw }] }]).find((event) => event.type === 'finish');
    assert.deepEqual(reason('MALFORMED_FUNCTION_CALL'), {
      type: 'finish',
      choice: 0,
      reason: { unified: 'error', raw: 'MALFORMED_FUNCTION_CALL' },
    });
    assert.deepEqual(reason('SPII'), { type: 'finish', choice: 0, reason: { unified: 'content_filter', raw: 'SPII' } });
    assert.deepEqual(reason('SOMETHING_NEW'), {
      type: 'finish',
      choice: 0,
      reason: { unified: 'other', raw: 'SOMETHING_NEW' },
    });
  });

  it('a body that is not JSON, or a JSON scalar, is an upstream_bad_response', () => {
    const parser = new GeminiStreamParser(geminiTarget());
    assert.throws(() => parser.push({ event: undefined, data: 'not json' }), { code: 'upstream_bad_response' });
    assert.throws(() => parser.push({ event: undefined, data: '42' }), { code: 'upstream_bad_response' });
    assert.throws(() => geminiAdapter.parseResponse({}, geminiTarget()), { code: 'upstream_bad_response' });
  });
});

describe('Vertex partialArgs', () => {
  it('rebuilds nested paths, arrays, continued strings and scalars', () => {
    const args = new PartialArgs();
    args.push({ jsonPath: '$.city', stringValue: 'San ', willContinue: true });
    args.push({ jsonPath: '$.city', stringValue: 'Francisco' });
    args.push({ jsonPath: '$.days[0].n', numberValue: 2 });
    args.push({ jsonPath: "$['unit name']", boolValue: true });
    args.push({ jsonPath: '$.note', nullValue: 'NULL_VALUE' });
    assert.deepEqual(args.value, { city: 'San Francisco', days: [{ n: 2 }], 'unit name': true, note: null });
  });
});
