import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capText, MAX_CLIENT_TEXT } from './cap-text.ts';

test('short strings are kept; long ones are cut to the cap with a marker', () => {
  assert.equal(capText('gpt-4o'), 'gpt-4o');
  const capped = capText('m'.repeat(1_000_000));
  assert.equal(capped.length, MAX_CLIENT_TEXT);
  assert.ok(capped.endsWith('…[truncated]'), capped);
});

test('a surrogate pair is never split at the cut', () => {
  const capped = capText('😀'.repeat(500), 20);
  assert.ok(capped.length <= 20, `length ${capped.length}`);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(capped), 'no lone high surrogate');
});
