import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  countTextsTokens,
  countTextTokens,
  EXACT_LIMIT_BYTES,
  estimateOutputTokens,
  loadTokenizer,
} from './tokenizer.ts';

// o200k_base counts published in gpt-tokenizer's own test suite (token ids checked against tiktoken).
const KNOWN_O200K: ReadonlyArray<[string, number]> = [
  ['This is some text', 4],
  ['hello 👋 world 🌍', 6],
  ['toString constructor hasOwnProperty valueOf', 8],
  ['hello, I am a text, and I have commas. a,b,c', 15],
  ["What's", 1],
  [' ', 1],
];

test('exact o200k counts for known strings once loaded', async () => {
  await loadTokenizer();
  for (const [text, expected] of KNOWN_O200K) assert.equal(countTextTokens(text), expected, JSON.stringify(text));
  assert.equal(countTextTokens(''), 0, 'empty text');
  assert.equal(estimateOutputTokens('This is some text'), 4, 'output estimate uses the same count');
});

test('special-token text is counted as text, not refused', async () => {
  await loadTokenizer();
  assert.ok(countTextTokens('a <|endoftext|> b') > 3, 'counted without throwing');
});

test('huge input takes the bytes/4 path quickly', async () => {
  await loadTokenizer();
  const huge = 'lorem ipsum dolor sit amet '.repeat(40_000); // ~1 MB
  const started = performance.now();
  const count = countTextTokens(huge);
  const elapsed = performance.now() - started;
  assert.equal(count, Math.ceil(Buffer.byteLength(huge) / 4), 'bytes/4');
  assert.ok(elapsed < 50, `took ${elapsed.toFixed(1)} ms`);
});

test('the exact budget is shared across the texts of one call', async () => {
  await loadTokenizer();
  const text = 'a '.repeat(5000); // 10 KB, ~5000 tokens exactly, 2500 by bytes/4
  const exact = countTextTokens(text);
  assert.ok(exact > 4000, `one 10 KB text is counted exactly (${exact})`);
  assert.ok(2 * text.length > EXACT_LIMIT_BYTES, 'two of them pass the limit');
  assert.equal(countTextsTokens([text, text]), exact + 2500, 'the second one is bytes/4');
});
