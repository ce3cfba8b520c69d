/** Stream parser edge cases: errors mid-stream, truncation, bare JSON, the JSON response tool, unknown events. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadChunksAsSse } from '../../../test/support/fixtures.ts';
import { VA } from '../../../test/support/providers/anthropic/fixture-streams.ts';
import {
  completionOf,
  parseStream,
  renderChunks,
  testTarget,
} from '../../../test/support/providers/anthropic/test-helpers.ts';
import { collect } from '../../core/collect.ts';
import type { StreamEvent } from '../../core/types.ts';
import { openAIErrorFields } from '../../surfaces/openai-chat/error-vocabulary.ts';
import { anthropicAdapter } from './index.ts';

function firstChoice(completion: ReturnType<typeof completionOf>) {
  const choice = completion.choices[0];
  assert.ok(choice, 'one choice');
  return choice;
}

function toolCallChunks(chunks: ReturnType<typeof renderChunks>['chunks']) {
  return chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
}

describe('stream edge cases', () => {
  const frame = (payload: object): Buffer => Buffer.from(`event: x\ndata: ${JSON.stringify(payload)}\n\n`);
  const start = frame({
    type: 'message_start',
    message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 5, output_tokens: 1 } },
  });

  test('mid-stream overloaded_error → error event (status 529), end() does not throw', () => {
    const text = loadChunksAsSse(`${VA}/anthropic-text.chunks.txt`, 'anthropic');
    const body = Buffer.concat([
      text.subarray(0, text.indexOf('event: content_block_stop')),
      Buffer.from(
        'event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"} }\n\n',
      ),
    ]);
    const events = parseStream(body);
    const error = events.find((event): event is Extract<StreamEvent, { type: 'error' }> => event.type === 'error');
    assert.ok(error);
    assert.deepEqual(
      [error.error.code, openAIErrorFields(error.error).code, error.error.message, error.error.status],
      ['overloaded', 'overloaded_error', 'Overloaded', 529],
    );
    assert.equal(events.at(-1)?.type, 'error');
  });

  test('stream cut short without message_stop → upstream_bad_response', () => {
    const body = loadChunksAsSse(`${VA}/anthropic-text.chunks.txt`, 'anthropic');
    const cut = body.subarray(0, body.lastIndexOf('event: message_stop'));
    assert.throws(() => parseStream(cut), { name: 'GatewayError', code: 'upstream_bad_response' });
  });

  test('bare JSON error where an SSE frame was expected', () => {
    const events = parseStream(
      Buffer.from('{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}'),
    );
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event?.type === 'error');
    assert.deepEqual(
      [event.error.code, openAIErrorFields(event.error).code, event.error.message, event.error.status],
      ['rate_limit_exceeded', 'rate_limit_exceeded', 'Rate limited', 429],
    );
  });

  test('non-JSON data → upstream_bad_response', () => {
    assert.throws(() => parseStream(Buffer.from('event: message_start\ndata: {oops\n\n')), {
      code: 'upstream_bad_response',
    });
  });

  test('llmux JSON response tool streams as content with finish stop', () => {
    const body = Buffer.concat([
      start,
      frame({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't1', name: 'llmux_json_response', input: {} },
      }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}' } }),
      frame({ type: 'content_block_stop', index: 0 }),
      frame({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }),
      frame({ type: 'message_stop' }),
    ]);
    const { completion, chunks } = (() => {
      const events = parseStream(body);
      return { completion: completionOf(events), ...renderChunks(events) };
    })();
    const choice = firstChoice(completion);
    assert.equal(choice.message.content, '{"a":1}');
    assert.equal(choice.message.tool_calls, undefined);
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(toolCallChunks(chunks).length, 0);
    assert.equal(completion.usage?.prompt_tokens, 5);
  });

  test('duplicate message_start, unknown events and blocks are ignored', () => {
    const body = Buffer.concat([
      start,
      start,
      frame({ type: 'brand_new_event', foo: 1 }),
      frame({ type: 'content_block_start', index: 0, content_block: { type: 'mystery_block' } }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'mystery_delta' } }),
      frame({ type: 'content_block_stop', index: 0 }),
      frame({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      frame({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'hi' } }),
      frame({ type: 'content_block_stop', index: 1 }),
      frame({ type: 'message_delta', delta: { stop_reason: 'refusal' }, usage: { output_tokens: 2 } }),
      frame({ type: 'message_stop' }),
    ]);
    const events = parseStream(body);
    assert.equal(events.filter((event) => event.type === 'response-start').length, 1);
    const choice = firstChoice(completionOf(events));
    assert.equal(choice.message.content, 'hi');
    assert.equal(choice.finish_reason, 'content_filter');
  });

  test('usage from message_start is reported even without a message_delta usage', () => {
    const events = parseStream(
      Buffer.concat([
        start,
        frame({ type: 'message_delta', delta: { stop_reason: 'end_turn' } }),
        frame({ type: 'message_stop' }),
      ]),
    );
    assert.equal(collect(events).usage?.inputTokens, 5);
  });

  test('target is not needed beyond the parser: one parser per stream', () => {
    assert.notEqual(
      anthropicAdapter.createStreamParser(testTarget()),
      anthropicAdapter.createStreamParser(testTarget()),
    );
  });
});
