import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { ChatResult, StreamEvent } from '../../core/types.ts';
import { renderAnthropicError, renderAnthropicStreamError } from './render-error.ts';
import { toAnthropicMessage } from './render-response.ts';
import { AnthropicEventRenderer } from './render-stream.ts';
import { carriedThinkingSignature, thinkingSignature } from './signature-carrier.ts';

const identity = { id: 'msg_1', model: 'my-model' };

function frames(sse: string): { event: string; data: Record<string, unknown> }[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: (eventLine ?? '').slice(7), data: JSON.parse((dataLine ?? '').slice(6)) };
    });
}

describe('Anthropic message rendering', () => {
  it('reasoning, text and tool calls become blocks; usage leaves cached tokens out of input_tokens', () => {
    const result: ChatResult = {
      id: 'x',
      model: 'upstream',
      created: 0,
      choices: [
        {
          index: 0,
          text: 'Checking.',
          refusal: null,
          reasoning: [
            { type: 'reasoning', text: 'hmm' },
            { type: 'reasoning', text: '', redactedData: 'r' },
          ],
          toolCalls: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{"a":1}' }],
          citations: [],
          logprobs: null,
          finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
        },
      ],
      usage: { inputTokens: 100, cachedInputTokens: 60, outputTokens: 7, estimated: false },
    };
    assert.deepEqual(toAnthropicMessage(result, identity), {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'my-model',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: thinkingSignature(undefined) },
        { type: 'redacted_thinking', data: 'r' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 40, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 60 },
    });
  });

  it('errors: Anthropic envelope and types by status, overloaded as 529, upstream Anthropic types kept', () => {
    const cases: [GatewayError, number, string][] = [
      [new GatewayError('invalid_api_key', 'bad key'), 401, 'authentication_error'],
      [new GatewayError('invalid_request', 'x'), 400, 'invalid_request_error'],
      [new GatewayError('model_not_allowed', 'x'), 403, 'permission_error'],
      [new GatewayError('model_not_found', 'x'), 404, 'not_found_error'],
      [new GatewayError('payload_too_large', 'x'), 413, 'request_too_large'],
      [new GatewayError('rate_limit_exceeded', 'x', { retryAfterMs: 1500 }), 429, 'rate_limit_error'],
      [new GatewayError('upstream_error', 'x'), 502, 'api_error'],
      [new GatewayError('overloaded', 'x'), 529, 'overloaded_error'],
      [
        new GatewayError('upstream_error', 'x', {
          status: 500,
          upstreamFormat: 'anthropic-messages',
          upstreamType: 'api_error',
        }),
        500,
        'api_error',
      ],
    ];
    for (const [error, status, type] of cases) {
      const rendered = renderAnthropicError(error, 'req_1');
      assert.equal(rendered.status, status, type);
      assert.deepEqual(JSON.parse(rendered.body), {
        type: 'error',
        error: { type, message: error.message },
        request_id: 'req_1',
      });
    }
    assert.equal(renderAnthropicError(cases[5]?.[0] as GatewayError, 'r').headers['retry-after'], '2');
    const event = frames(renderAnthropicStreamError(new GatewayError('overloaded', 'busy'), 'r'));
    assert.deepEqual(event, [
      {
        event: 'error',
        data: { type: 'error', error: { type: 'overloaded_error', message: 'busy' }, request_id: 'r' },
      },
    ]);
  });
});

describe('Anthropic stream rendering', () => {
  function render(events: StreamEvent[]): { event: string; data: Record<string, unknown> }[] {
    const renderer = new AnthropicEventRenderer(identity);
    return frames(events.map((event) => renderer.render(event)).join('') + renderer.end());
  }

  it('opens a block before its first delta and closes it before the next one, without *-start/*-end events', () => {
    const out = render([
      { type: 'reasoning-delta', choice: 0, text: 'a' },
      { type: 'reasoning-delta', choice: 0, signature: 'sig' },
      { type: 'text-delta', choice: 0, text: 'hi' },
      { type: 'tool-call-start', choice: 0, index: 0, id: 'c', name: 'f' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{}' },
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_calls' } },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4, estimated: false } },
    ]);
    assert.deepEqual(
      out.map((frame) => `${frame.event}${frame.data.index === undefined ? '' : `:${frame.data.index}`}`),
      [
        'message_start',
        'ping',
        'content_block_start:0',
        'content_block_delta:0',
        'content_block_delta:0',
        'content_block_stop:0',
        'content_block_start:1',
        'content_block_delta:1',
        'content_block_stop:1',
        'content_block_start:2',
        'content_block_delta:2',
        'content_block_stop:2',
        'message_delta',
        'message_stop',
      ],
    );
    assert.deepEqual(out[3]?.data.delta, { type: 'thinking_delta', thinking: 'a' });
    const signed = out[4]?.data.delta as { type: string; signature: string };
    assert.equal(signed.type, 'signature_delta', 'the signature closes the thinking block');
    assert.equal(carriedThinkingSignature(signed.signature), 'sig', "the provider's signature, carried");
    assert.deepEqual(out[10]?.data.delta, { type: 'input_json_delta', partial_json: '{}' });
    assert.deepEqual(out.at(-2)?.data, {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('an empty answer still has message_start, message_delta and message_stop', () => {
    assert.deepEqual(
      render([]).map((frame) => frame.event),
      ['message_start', 'ping', 'message_delta', 'message_stop'],
    );
  });
});
