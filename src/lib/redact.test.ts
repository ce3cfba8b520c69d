import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets } from './redact.ts';

test('removes configured secrets and key-shaped strings', () => {
  const text =
    'Incorrect API key provided: sk-proj-abc***********xyz. Key my-own-secret-123 rejected; Bearer abcdefghij123';
  const out = redactSecrets(text, ['my-own-secret-123']);
  assert.equal(out.includes('sk-proj'), false);
  assert.equal(out.includes('my-own-secret-123'), false);
  assert.equal(out.includes('abcdefghij123'), false);
  assert.match(out, /^Incorrect API key provided: \[redacted\]/);
});

test('leaves ordinary text alone', () => {
  assert.equal(redactSecrets('The model `gpt-5` does not exist'), 'The model `gpt-5` does not exist');
});

test('redacts Google API keys', () => {
  assert.equal(redactSecrets('key=AIzaSyA1234567890abcdefg invalid').includes('AIza'), false);
});
