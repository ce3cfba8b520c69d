import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTextTokens, loadTokenizer, tokenizerReady } from './tokenizer.ts';

// node:test runs each file in its own process, so nothing has loaded the tokenizer yet.
test('the tokenizer loads on first use, in the background; bytes/4 until then', async () => {
  assert.equal(tokenizerReady(), false, 'not loaded at import');
  const text = 'This is some text'; // 17 bytes → 5 by bytes/4, 4 exactly
  assert.equal(countTextTokens(text), 5, 'bytes/4 before the load');
  await loadTokenizer();
  assert.equal(tokenizerReady(), true, 'the first count started the load');
  assert.equal(countTextTokens(text), 4, 'exact after it');
});
