import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameHasUsage } from './usage-sniffer.ts';

test('finds a usage object with or without whitespace', () => {
  assert.equal(frameHasUsage(Buffer.from('data: {"choices":[],"usage":{"prompt_tokens":1}}\n\n')), true);
  assert.equal(frameHasUsage(Buffer.from('data: {"choices":[],"usage" : \t{"prompt_tokens":1}}\n\n')), true);
});

test('ignores usage:null and frames without usage', () => {
  assert.equal(frameHasUsage(Buffer.from('data: {"choices":[{"delta":{}}],"usage":null}\n\n')), false);
  assert.equal(frameHasUsage(Buffer.from('data: {"choices":[{"delta":{"content":"usage"}}]}\n\n')), false);
  assert.equal(frameHasUsage(Buffer.from('data: [DONE]\n\n')), false);
});

test('finds usage after an earlier "usage" string in content', () => {
  const frame = Buffer.from('data: {"choices":[{"delta":{"content":"\\"usage\\" is"}}],"usage":{"total_tokens":3}}\n\n');
  assert.equal(frameHasUsage(frame), true);
});
