import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactJsonStrings, redactOptional, redactSecrets, registerSecrets } from './redact.ts';

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

test('registered secrets are removed without being passed, also in their JSON and URL forms', () => {
  registerSecrets(['registered-key-0001', 'quo"te\\key-0002', 'url key/0003', undefined, 'short']);
  const out = redactSecrets(
    `a registered-key-0001 b ${JSON.stringify('quo"te\\key-0002')} c key=${encodeURIComponent('url key/0003')} short`,
  );
  assert.equal(out.includes('registered-key-0001'), false, out);
  assert.equal(out.includes('key-0002'), false, out);
  assert.equal(out.includes('0003'), false, out);
  assert.ok(out.endsWith(' short'), `values under 6 characters are left alone: ${out}`);
});

test('a registered secret containing another is removed whole', () => {
  registerSecrets(['nested-key-01', 'nested-key-01-longer']);
  assert.equal(redactSecrets('x nested-key-01-longer y'), 'x [redacted] y');
});

test('redactOptional keeps null and redacts strings', () => {
  assert.equal(redactOptional(null), null);
  assert.equal(redactOptional('param sk-abcdef'), 'param [redacted]');
});

test('redactJsonStrings redacts every string and property name, and keeps the value when nothing changed', () => {
  registerSecrets(['json-walk-key-01']);
  const clean = { error: { message: 'fine', details: [{ reason: 'X', n: 1 }] } };
  assert.equal(redactJsonStrings(clean), clean);
  const dirty = { error: { details: [{ reason: 'json-walk-key-01', metadata: { 'json-walk-key-01': true } }] } };
  const out = JSON.stringify(redactJsonStrings(dirty));
  assert.equal(out.includes('json-walk-key-01'), false, out);
  assert.equal(JSON.stringify(dirty).includes('json-walk-key-01'), true, 'the input is not modified');
});

test('redactJsonStrings stops at a bounded depth instead of overflowing the stack', () => {
  let deep: unknown = 'sk-deepsecret';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const out = JSON.stringify(redactJsonStrings({ error: deep }));
  assert.equal(out.includes('deepsecret'), false, 'nothing below the bound is kept');
});
