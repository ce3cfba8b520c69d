/** The client-facing error boundary: one GatewayError in the OpenAI envelope, every field redacted. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { registerSecrets } from '../../lib/redact.ts';
import { openAIErrorFields } from './error-vocabulary.ts';
import { renderOpenAIError } from './render-error.ts';
import { renderStreamError } from './render-stream.ts';

const KEY = 'render-boundary-key-0001';
registerSecrets([KEY]);

test('a unary error envelope carries no registered secret in any field or header', () => {
  const error = new GatewayError('upstream_error', `upstream echoed ${KEY}`, {
    upstreamFormat: 'openai-chat',
    upstreamType: `t_${KEY}`,
    param: `p_${KEY}`,
    upstreamCode: `c_${KEY}`,
    retryAfterMs: 1500,
  });
  const rendered = renderOpenAIError(error, 'req_1');
  const all = rendered.body + JSON.stringify(rendered.headers);
  assert.equal(all.includes(KEY), false, all);
  const body = JSON.parse(rendered.body) as { error: Record<string, unknown> };
  assert.equal(body.error.message, 'upstream echoed [redacted] (request id: req_1)');
  assert.deepEqual(
    [body.error.type, body.error.param, body.error.code],
    ['t_[redacted]', 'p_[redacted]', 'c_[redacted]'],
  );
});

test('a stream error event carries no registered secret in any field', () => {
  const error = new GatewayError('upstream_error', `m ${KEY}`, {
    upstreamFormat: 'openai-chat',
    upstreamType: KEY,
    upstreamCode: KEY,
    param: KEY,
  });
  const frame = renderStreamError(error);
  assert.equal(frame.includes(KEY), false, frame);
  assert.ok(frame.startsWith('data: {"error":{"message":"m [redacted]"'), frame);
});

describe('one GatewayError in the OpenAI envelope', () => {
  const overloaded = new GatewayError('overloaded', 'Overloaded', {
    status: 529,
    provider: 'claude',
    upstreamFormat: 'anthropic-messages',
    upstreamStatus: 529,
    upstreamType: 'overloaded_error',
    retryAfterMs: 2300,
  });

  test('status, OpenAI type and code, message with the request id, retry-after in whole seconds', () => {
    const rendered = renderOpenAIError(overloaded, 'req_9');
    assert.equal(rendered.status, 529);
    assert.deepEqual(rendered.headers, { 'content-type': 'application/json', 'retry-after': '3' });
    assert.deepEqual(JSON.parse(rendered.body), {
      error: { message: 'Overloaded (request id: req_9)', type: 'server_error', param: null, code: 'overloaded_error' },
    });
  });

  test('the same error mid-stream: one SSE data frame with the same fields', () => {
    assert.equal(
      renderStreamError(overloaded, 'req_9'),
      'data: {"error":{"message":"Overloaded (request id: req_9)","type":"server_error","param":null,"code":"overloaded_error"}}\n\n',
    );
  });

  test("llmux's own errors read by their reason or canonical code; an unknown URL has code null", () => {
    assert.deepEqual(
      openAIErrorFields(new GatewayError('invalid_request', 'bad', { param: 'n', reason: 'invalid_value' })),
      {
        type: 'invalid_request_error',
        code: 'invalid_value',
        param: 'n',
      },
    );
    assert.deepEqual(openAIErrorFields(new GatewayError('not_found', 'Invalid URL')), {
      type: 'invalid_request_error',
      code: null,
      param: null,
    });
    assert.deepEqual(openAIErrorFields(new GatewayError('no_deployment_available', 'x')), {
      type: 'service_unavailable',
      code: 'no_deployment_available',
      param: null,
    });
  });

  test('an OpenAI-compatible upstream reads as it was sent; without a type, by its status', () => {
    const sent = new GatewayError('rate_limit_exceeded', 'slow', {
      status: 429,
      upstreamFormat: 'openai-chat',
      upstreamType: 'tokens',
      upstreamCode: 'rate_limit_exceeded',
    });
    assert.deepEqual(openAIErrorFields(sent), { type: 'tokens', code: 'rate_limit_exceeded', param: null });
    const bare = new GatewayError('upstream_error', 'boom', { status: 500, upstreamFormat: 'openai-chat' });
    assert.deepEqual(openAIErrorFields(bare), { type: 'upstream_error', code: null, param: null });
  });

  test("Gemini: its status as the type, its ErrorInfo reason as the code unless OpenAI's is better known", () => {
    const denied = new GatewayError('permission_denied', 'no', {
      status: 403,
      upstreamFormat: 'gemini',
      upstreamType: 'PERMISSION_DENIED',
      upstreamCode: 'SERVICE_DISABLED',
    });
    assert.deepEqual(openAIErrorFields(denied), { type: 'PERMISSION_DENIED', code: 'SERVICE_DISABLED', param: null });
    const badKey = new GatewayError('invalid_api_key', 'no', {
      upstreamFormat: 'gemini',
      upstreamType: 'INVALID_ARGUMENT',
      upstreamCode: 'API_KEY_INVALID',
    });
    assert.deepEqual(openAIErrorFields(badKey), { type: 'INVALID_ARGUMENT', code: 'invalid_api_key', param: null });
  });

  test('a retry-after under a second still says 1', () => {
    const soon = new GatewayError('rate_limit_exceeded', 'x', { retryAfterMs: 0 });
    assert.equal(renderOpenAIError(soon, 'r').headers['retry-after'], '1');
  });
});
