import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STREAM_FIXTURES } from '../../../test/support/providers/anthropic/fixture-streams.ts';
import { testTarget } from '../../../test/support/providers/anthropic/test-helpers.ts';
import { GatewayError } from '../../core/errors.ts';
import { SseFramer } from '../../lib/sse.ts';
import { anthropicPassthrough } from './passthrough.ts';

const body = { model: 'claude-sonnet-4-5', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] };

function frameAll(bytes: Buffer): Buffer[] {
  const framer = new SseFramer();
  const frames = framer.push(bytes);
  const tail = framer.end();
  return tail ? [...frames, tail] : frames;
}

describe('Anthropic passthrough hooks', () => {
  it('rewrites the model, merges overrides (not stream), forwards the client version and betas', () => {
    const target = testTarget('claude-opus-4-1', {
      bodyOverrides: { service_tier: 'standard_only', stream: false },
      headers: { 'anthropic-beta': 'configured-beta', 'x-extra': '1' },
    });
    const prepared = anthropicPassthrough.prepare(body, target, {
      stream: true,
      streamFraming: 'sse',
      headers: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a-beta, configured-beta' },
    });
    const { request } = prepared;
    assert.equal(request.url, 'https://api.anthropic.com/v1/messages');
    assert.deepEqual(JSON.parse(String(request.body)), {
      ...body,
      model: 'claude-opus-4-1',
      service_tier: 'standard_only',
    });
    assert.deepEqual(request.headers, {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'configured-beta,a-beta',
      'x-extra': '1',
      'x-api-key': 'sk-ant-test-key-123456',
    });
    assert.deepEqual(prepared.warnings, ["service_tier set by the deployment's bodyOverrides"]);
    const plain = anthropicPassthrough.prepare({ ...body, stream: false }, testTarget());
    assert.equal(plain.request.headers['anthropic-version'], '2023-06-01', 'the default version');
    assert.equal(plain.request.headers['anthropic-beta'], undefined, 'no betas');
  });

  it('reads usage from message_start and message_delta, and ends at message_stop', () => {
    const filter = anthropicPassthrough.prepare(body, testTarget()).createStreamFilter();
    const frames = frameAll((STREAM_FIXTURES['sdk-tool-use'] as () => Buffer)());
    const ends = frames.filter((frame) => filter.isEndFrame(frame));
    for (const frame of frames) assert.equal(filter.filter(frame), frame, 'every frame unchanged');
    assert.equal(ends.length, 1, 'one end frame');
    assert.match(String(ends[0]), /message_stop/);
    assert.equal(filter.requiresEndFrame, true);
    assert.equal(filter.usage?.inputTokens, 377);
    assert.equal(filter.usage?.outputTokens, 65);
    const error = Buffer.from(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"x"}}\n\n',
    );
    assert.equal(filter.isEndFrame(error), true, 'an error event ends the stream');
    const text = Buffer.from(
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"message_stop error"}}\n\n',
    );
    assert.equal(filter.isEndFrame(text), false, 'text mentioning them does not');
  });

  it('reads usage from a message body and refuses what is not a message', () => {
    const prepared = anthropicPassthrough.prepare(body, testTarget());
    const message = Buffer.from(
      JSON.stringify({
        type: 'message',
        content: [],
        usage: { input_tokens: 3, cache_read_input_tokens: 2, output_tokens: 4 },
      }),
    );
    const read = prepared.readBody(message);
    assert.equal(read.body, message, 'the same bytes');
    assert.equal(read.usage?.inputTokens, 5, 'cache reads included');
    assert.equal(read.usage?.cachedInputTokens, 2);
    assert.throws(
      () => prepared.readBody(Buffer.from('{"nope":1}')),
      (error: unknown) => error instanceof GatewayError,
    );
  });
});
