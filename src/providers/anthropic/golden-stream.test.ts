/**
 * Golden tests: every recorded Anthropic stream in test/fixtures replayed through the adapter
 * and rendered as OpenAI chunks / a folded chat.completion, checked field by field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STREAM_FIXTURES } from '../../../test/support/providers/anthropic/fixture-streams.ts';
import {
  comparable,
  completionOf,
  parseStream,
  renderChunks,
} from '../../../test/support/providers/anthropic/test-helpers.ts';
import { collect } from '../../core/collect.ts';

function replay(name: string) {
  const load = STREAM_FIXTURES[name];
  if (!load) throw new Error(`unknown fixture ${name}`);
  const events = parseStream(load());
  return { events, completion: completionOf(events), ...renderChunks(events) };
}

function firstChoice(completion: ReturnType<typeof completionOf>) {
  const choice = completion.choices[0];
  assert.ok(choice, 'one choice');
  return choice;
}

function toolCallChunks(chunks: ReturnType<typeof renderChunks>['chunks']) {
  return chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
}

describe('Anthropic streams → OpenAI chunks (golden)', () => {
  test('text: content, finish stop, usage from message_delta, OpenAI chunk framing', () => {
    const { completion, chunks, text } = replay('anthropic-text');
    assert.equal(completion.id, 'msg_01QC4g3HwBThD4BaNtBckFDJ');
    assert.equal(completion.model, 'claude-sonnet-4-5-20250929');
    const choice = firstChoice(completion);
    assert.equal(
      choice.message.content,
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    );
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.message.tool_calls, undefined);
    assert.deepEqual(completion.usage, {
      prompt_tokens: 12,
      completion_tokens: 30,
      total_tokens: 42,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    assert.equal(completion.service_tier, 'default');
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant', content: 'Hello' });
    assert.ok(
      chunks.every((chunk) => chunk.id === 'msg_01QC4g3HwBThD4BaNtBckFDJ' && chunk.object === 'chat.completion.chunk'),
    );
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    assert.deepEqual(finish?.choices[0], { index: 0, delta: {}, finish_reason: 'stop' });
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.equal(last?.usage?.prompt_tokens, 12);
    assert.ok(text.endsWith('data: [DONE]\n\n'), "text.endsWith('data: [DONE]\\n\\n')");
  });

  test('no-argument tool: index 0 counted across the stream, arguments "{}", finish tool_calls', () => {
    const { completion, chunks } = replay('tool-no-args');
    const choice = firstChoice(completion);
    assert.equal(choice.message.content, "I'll update the issue list for you.");
    assert.deepEqual(choice.message.tool_calls, [
      {
        id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP',
        type: 'function',
        function: { name: 'updateIssueList', arguments: '{}' },
      },
    ]);
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.deepEqual(toolCallChunks(chunks), [
      {
        index: 0,
        id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP',
        type: 'function',
        function: { name: 'updateIssueList', arguments: '' },
      },
      { index: 0, function: { arguments: '{}' } },
    ]);
    assert.deepEqual(completion.usage?.prompt_tokens, 565);
    assert.deepEqual(completion.usage?.completion_tokens, 48);
  });

  test('tool block after a text block (Anthropic block 1) is OpenAI tool index 0', () => {
    for (const name of ['json-tool-2', 'sdk-tool-use']) {
      const { chunks, completion } = replay(name);
      const calls = toolCallChunks(chunks);
      assert.ok(calls.length > 1, name);
      assert.ok(
        calls.every((call) => call.index === 0),
        name,
      );
      assert.equal(firstChoice(completion).finish_reason, 'tool_calls');
    }
    const sdk = firstChoice(replay('sdk-tool-use').completion);
    assert.equal(sdk.message.content, "I'll check the current weather in Paris for you.");
    assert.deepEqual(JSON.parse(sdk.message.tool_calls?.[0]?.function.arguments ?? ''), { location: 'Paris' });
    const json = firstChoice(replay('json-tool-2').completion);
    assert.equal(json.message.tool_calls?.[0]?.function.name, 'json');
    assert.deepEqual(JSON.parse(json.message.tool_calls?.[0]?.function.arguments ?? ''), {
      elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }],
    });
  });

  test('older usage shape (message_delta has only output_tokens): prompt tokens from message_start', () => {
    const { completion } = replay('sdk-tool-use');
    assert.equal(completion.usage?.prompt_tokens, 377);
    assert.equal(completion.usage?.completion_tokens, 65);
    assert.equal(completion.usage?.total_tokens, 442);
  });

  test('parallel tool calls (padded JSON, caller field): indexes 0,1,2 with streamed argument deltas', () => {
    const { completion, chunks } = replay('parallel-tools-15652');
    const calls = firstChoice(completion).message.tool_calls ?? [];
    assert.deepEqual(
      calls.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)]),
      [
        ['toolu_01LtEf4h1QW7KCKLsYMuhTNB', 'searchDocs', { query: 'alpha' }],
        ['toolu_016tfZE7otAFSBjhc67wu189', 'searchDocs', { query: 'beta' }],
        ['toolu_01XkU35z8BVWqqc9tijDuLrA', 'searchDocs', { query: 'gamma' }],
      ],
    );
    const starts = toolCallChunks(chunks).filter((call) => call.id !== undefined);
    assert.deepEqual(
      starts.map((call) => call.index),
      [0, 1, 2],
    );
    const fragments = toolCallChunks(chunks).filter((call) => call.id === undefined && call.index === 1);
    assert.deepEqual(
      fragments.map((call) => call.function?.arguments),
      ['{"query": "beta', '"}'],
    );
    assert.equal(firstChoice(completion).message.content, null);
    assert.equal(completion.usage?.completion_tokens, 110);
  });

  test('single tool / quoted input / empty-schema forced tool', () => {
    assert.deepEqual(
      JSON.parse(
        firstChoice(replay('json-tool-parallel-15652').completion).message.tool_calls?.[0]?.function.arguments ?? '',
      ),
      {
        query: 'alpha',
      },
    );
    const quoted = JSON.parse(
      firstChoice(replay('quoted-tool-input-11719').completion).message.tool_calls?.[0]?.function.arguments ?? '',
    );
    assert.match(quoted.tasks[0].description, /the question: "What should I do next after this run\?"\. It is/);
    assert.equal(quoted.website_path, '/home/user/pace-landing');
    const forced = firstChoice(replay('empty-schema-forced-tool-11674').completion);
    assert.deepEqual(forced.message.tool_calls?.[0]?.function, { name: 'sayHello', arguments: '{}' });
  });

  test('thinking: reasoning_content streamed, signature delivered in reasoning_details, text after', () => {
    const { completion, chunks } = replay('clear-thinking');
    const choice = firstChoice(completion);
    assert.equal(
      choice.message.reasoning_content,
      'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
    );
    assert.equal(choice.message.content, '925 ÷ 5 = 185');
    const details = choice.message.reasoning_details ?? [];
    assert.equal(details.length, 1);
    assert.equal(details[0]?.type, 'reasoning.text');
    assert.match(details[0]?.signature ?? '', /^EvQBCkYICxgCKkAxhD4N/);
    const streamed = chunks.flatMap((chunk) => chunk.choices[0]?.delta.reasoning_details ?? []);
    assert.equal(
      streamed.map((detail) => detail.text ?? '').join(''),
      choice.message.reasoning_content,
      'the streamed reasoning_details texts concatenate to the thinking text',
    );
    assert.ok(
      streamed.every((detail) => detail.index === 0),
      'every streamed detail names its block (index 0)',
    );
    assert.match(streamed.at(-1)?.signature ?? '', /^EvQB/);
    const firstContent = chunks.findIndex((chunk) => chunk.choices[0]?.delta.content);
    const lastReasoning = chunks.findLastIndex((chunk) => chunk.choices[0]?.delta.reasoning_content);
    assert.ok(lastReasoning < firstContent, 'lastReasoning < firstContent');
    assert.equal(completion.usage?.completion_tokens, 53);
  });

  test('summarized reasoning (Claude 5, padded payloads): thinking_tokens → reasoning_tokens', () => {
    const { completion } = replay('sonnet-5-reasoning');
    const choice = firstChoice(completion);
    assert.match(choice.message.reasoning_content ?? '', /^I'm working through the Euclidean algorithm/);
    assert.match(choice.message.content ?? '', /= 21\$\$/);
    assert.equal(completion.usage?.completion_tokens, 373);
    assert.equal(completion.usage?.completion_tokens_details?.reasoning_tokens, 62);
    assert.equal(completion.usage?.prompt_tokens, 47);
  });

  test('thinking cassette (byte-exact SSE with pings and padding)', () => {
    const { completion } = replay('cassette-thinking');
    const choice = firstChoice(completion);
    assert.match(choice.message.reasoning_content ?? '', /^This is a straightforward question about pedestrian safety/);
    assert.match(choice.message.content ?? '', /^Here are the basic steps for safely crossing the street/);
    assert.ok(choice.message.reasoning_details?.[0]?.signature, 'choice.message.reasoning_details?.[0]?.signature');
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(completion.usage?.prompt_tokens, 43);
  });

  test('redacted thinking blocks → reasoning_details reasoning.redacted with the data', () => {
    const { completion } = replay('cassette-redacted-thinking');
    const choice = firstChoice(completion);
    const details = choice.message.reasoning_details ?? [];
    assert.deepEqual(
      details.map((detail) => [detail.type, detail.data?.slice(0, 12)]),
      [
        ['reasoning.redacted', 'EqkECkYIBxgC'],
        ['reasoning.redacted', 'EtgBCkYIBxgC'],
      ],
    );
    assert.equal(choice.message.reasoning_content, undefined);
    assert.match(choice.message.content ?? '', /^I notice that you've sent what appears to be/);
  });

  test('prompt cache read and write: prompt_tokens includes both, cached/cache_write split out', () => {
    const read = replay('cache-read-5942').completion;
    assert.deepEqual(read.usage?.prompt_tokens_details, { cached_tokens: 18639, cache_write_tokens: 0 });
    assert.equal(read.usage?.prompt_tokens, 3 + 18639);
    assert.equal(firstChoice(read).finish_reason, 'length');
    const write = replay('cache-write-5942').completion;
    assert.deepEqual(write.usage?.prompt_tokens_details, { cached_tokens: 0, cache_write_tokens: 18639 });
    assert.equal(write.usage?.prompt_tokens, 3 + 18639);
    assert.equal(write.usage?.total_tokens, 18643);
  });

  test('input_tokens repeated in message_delta with a different value: the later count wins', () => {
    const { completion } = replay('message-delta-input-tokens');
    assert.equal(firstChoice(completion).message.content, 'pong');
    assert.equal(completion.usage?.prompt_tokens, 61);
    assert.equal(completion.usage?.completion_tokens, 2);
    assert.equal(completion.service_tier, null);
  });

  test('native structured output: JSON arrives as text', () => {
    const parsed = JSON.parse(firstChoice(replay('json-output-format').completion).message.content ?? '');
    assert.ok(
      Array.isArray(parsed.characters) && parsed.characters.length > 0,
      'Array.isArray(parsed.characters) && parsed.characters.length > 0',
    );
  });

  test('web search: server tool blocks not surfaced, citations kept as url annotations', () => {
    const { completion } = replay('web-search');
    const choice = firstChoice(completion);
    assert.equal(choice.message.tool_calls, undefined);
    assert.equal(choice.finish_reason, 'stop');
    assert.match(choice.message.content ?? '', /^Based on my search results/);
    const annotations = (choice.message.annotations ?? []) as Array<{
      url_citation: { url: string; start_index: number; end_index: number };
    }>;
    assert.ok(annotations.length > 0, 'annotations.length > 0');
    const first = annotations[0]?.url_citation;
    assert.match(first?.url ?? '', /^https:\/\/www\.apple\.com\/newsroom/);
    const content = choice.message.content ?? '';
    assert.ok(
      first && first.start_index < first.end_index && first.end_index <= content.length,
      'first && first.start_index < first.end_index && first.end_index <= ...',
    );
    assert.match(content.slice(first?.start_index, first?.end_index), /Apple/);
  });

  test('max_tokens inside a tool call: finish length, partial arguments kept as sent', () => {
    const choice = firstChoice(replay('sdk-incomplete-partial-json').completion);
    assert.equal(choice.finish_reason, 'length');
    assert.match(
      choice.message.tool_calls?.[0]?.function.arguments ?? '',
      /^\{"filename": "taxes.txt", "lines_of_text": \[/,
    );
    assert.match(choice.message.content ?? '', /^I'll create a comprehensive tax guide/);
  });

  test('basic and high-max-tokens streams', () => {
    assert.equal(firstChoice(replay('sdk-basic').completion).message.content, 'Hello there!');
    const high = replay('cassette-high-max-tokens').completion;
    assert.equal(firstChoice(high).message.content, '2');
    assert.equal(high.usage?.completion_tokens, 5);
  });

  test('derived-sse extractions parse exactly like their cassettes', () => {
    const pairs = [
      ['derived-thinking', 'cassette-thinking'],
      ['derived-redacted-thinking', 'cassette-redacted-thinking'],
      ['derived-high-max-tokens', 'cassette-high-max-tokens'],
    ] as const;
    for (const [derived, cassette] of pairs) {
      assert.deepEqual(comparable(collect(replay(derived).events)), comparable(collect(replay(cassette).events)));
    }
  });
});
