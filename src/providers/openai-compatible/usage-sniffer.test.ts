import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFixture } from '../../../test/support/fixture-paths.ts';
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
  const frame = Buffer.from(
    'data: {"choices":[{"delta":{"content":"\\"usage\\" is"}}],"usage":{"total_tokens":3}}\n\n',
  );
  assert.equal(frameHasUsage(frame), true);
});

test('sliceUsageObject finds the usage object of a recorded completion without parsing the body', async () => {
  const body = readFixture('openai/vercel-ai/openai-text.json');
  const expected = (JSON.parse(body.toString('utf8')) as { usage: unknown }).usage;
  const { sliceUsageObject, looksLikeJsonObject } = await import('./usage-sniffer.ts');
  const slice = sliceUsageObject(body);
  assert.ok(slice, 'usage slice found');
  assert.deepEqual(JSON.parse(slice.toString('utf8')), expected);
  assert.equal(looksLikeJsonObject(body), true);
  assert.equal(looksLikeJsonObject(body.subarray(0, body.length - 8)), false, 'a truncated body is not an object');
});

test('sliceUsageObject skips braces inside strings and ignores usage:null', async () => {
  const { sliceUsageObject } = await import('./usage-sniffer.ts');
  const body = Buffer.from(
    '{"choices":[{"message":{"content":"} \\"usage\\": {"}}],"usage":{"note":"}{","prompt_tokens":3}}',
  );
  assert.deepEqual(JSON.parse(sliceUsageObject(body)?.toString('utf8') ?? 'null'), { note: '}{', prompt_tokens: 3 });
  assert.equal(sliceUsageObject(Buffer.from('{"choices":[],"usage":null}')), undefined);
  assert.equal(sliceUsageObject(Buffer.from('{"choices":[],"usage":{"a":1')), undefined);
});
