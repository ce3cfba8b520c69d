/** The client-facing error boundary: every field of the envelope is redacted, whatever made the error. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { registerSecrets } from '../../lib/redact.ts';
import { renderOpenAIError } from './render-error.ts';
import { renderStreamError } from './render-stream.ts';

const KEY = 'render-boundary-key-0001';
registerSecrets([KEY]);

test('a unary error envelope carries no registered secret in any field or header', () => {
  const error = new GatewayError('upstream_error', `upstream echoed ${KEY}`, {
    type: `t_${KEY}`,
    param: `p_${KEY}`,
    wireCode: `c_${KEY}`,
    retryAfter: KEY,
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
  const frame = renderStreamError({ code: KEY, message: `m ${KEY}`, status: 502, type: KEY, param: KEY });
  assert.equal(frame.includes(KEY), false, frame);
  assert.ok(frame.startsWith('data: {"error":{"message":"m [redacted]"'), frame);
});
