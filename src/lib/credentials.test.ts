import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presentedKey } from './credentials.ts';

test('reads Bearer, x-api-key and x-goog-api-key', () => {
  assert.equal(presentedKey({ authorization: 'Bearer sk-1' }), 'sk-1');
  assert.equal(presentedKey({ authorization: 'bearer   sk-2 ' }), 'sk-2');
  assert.equal(presentedKey({ 'x-api-key': 'sk-3' }), 'sk-3');
  assert.equal(presentedKey({ 'x-goog-api-key': 'sk-4' }), 'sk-4');
});

test('no key or a non-Bearer authorization gives nothing', () => {
  assert.equal(presentedKey({}), undefined);
  assert.equal(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' }), undefined);
  assert.equal(presentedKey({ 'x-api-key': '  ' }), undefined);
});
