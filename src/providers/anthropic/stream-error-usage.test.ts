import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFixture } from '../../../test/support/fixture-paths.ts';
import { AnthropicStreamParser } from './stream.ts';

const chunks = readFixture('anthropic/vercel-ai/anthropic-text.chunks.txt')
  .toString('utf8')
  .split('\n')
  .filter(Boolean);

// The mid-stream error payload observed after HTTP 200 (PROVENANCE: anthropic-sdk-go#200), padding kept.
const OVERLOADED = '{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}      }';

test('a mid-stream error reports the usage seen so far before the error', () => {
  const parser = new AnthropicStreamParser();
  const events = [chunks[0], chunks[1], chunks[3], OVERLOADED].flatMap((data) => {
    const payload = JSON.parse(data as string) as { type: string };
    return parser.push({ event: payload.type, data: data as string });
  });
  const usageAt = events.findIndex((event) => event.type === 'usage');
  const errorAt = events.findIndex((event) => event.type === 'error');
  assert.ok(usageAt >= 0 && errorAt > usageAt, `usage before error in ${events.map((e) => e.type).join(',')}`);
  const usage = events[usageAt];
  assert.equal(usage?.type === 'usage' ? usage.usage.inputTokens : undefined, 12);
});
