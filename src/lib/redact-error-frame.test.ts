import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerSecrets } from './redact.ts';
import { redactErrorFrame } from './redact-error-frame.ts';

const KEY = 'frame-provider-key-0001';
registerSecrets([KEY]);

test('an error frame has every string redacted', () => {
  const frame = Buffer.from(
    `data: ${JSON.stringify({ error: { message: `bad ${KEY}`, type: KEY, param: KEY, code: KEY, details: [{ key: KEY }] } })}\n\n`,
  );
  const out = redactErrorFrame(frame).toString('utf8');
  assert.equal(out.includes(KEY), false, out);
  assert.ok(out.startsWith('data: {"error":{"message":"bad [redacted]"'), out);
  assert.ok(out.endsWith('\n\n'), 'still one complete frame');
});

test('ordinary frames, clean error frames and content that merely mentions "error" are returned as they are', () => {
  const frames = [
    Buffer.from('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n'),
    Buffer.from('data: {"error":{"message":"overloaded","code":null}}\n\n'),
    Buffer.from(`data: {"choices":[{"delta":{"content":"\\"error\\" ${KEY}"}}]}\n\n`),
    Buffer.from('data: [DONE]\n\n'),
  ];
  for (const frame of frames) assert.equal(redactErrorFrame(frame), frame, frame.toString('utf8'));
});

test('the event name of an error frame is kept', () => {
  const out = redactErrorFrame(Buffer.from(`event: error\ndata: {"error":"${KEY}"}\n\n`)).toString('utf8');
  assert.equal(out, 'event: error\ndata: {"error":"[redacted]"}\n\n');
});
