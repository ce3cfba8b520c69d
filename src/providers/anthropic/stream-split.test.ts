/**
 * SSE robustness: every recorded Anthropic stream, split at every byte boundary (two writes), and
 * fed one byte at a time, gives exactly the events of the unsplit body.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STREAM_FIXTURES } from '../../../test/support/providers/anthropic/fixture-streams.ts';
import { parseStream, parseStreamPieces } from '../../../test/support/providers/anthropic/test-helpers.ts';
import type { StreamEvent } from '../../core/types.ts';

/** `created` is stamped by llmux at parse time; everything else must match exactly. */
function stable(events: StreamEvent[]): StreamEvent[] {
  return events.map((event) => (event.type === 'response-start' ? { ...event, created: 0 } : event));
}

/**
 * Above this size the two-piece split tries every 11th boundary to keep the suite fast; the
 * one-byte-at-a-time run still puts a chunk boundary at every byte of every fixture.
 */
const EXHAUSTIVE_LIMIT = 12_000;

describe('Anthropic stream split at every byte boundary', () => {
  for (const [name, load] of Object.entries(STREAM_FIXTURES)) {
    test(name, () => {
      const body = load();
      const expected = stable(parseStream(body));
      const bytes: Buffer[] = [];
      for (let offset = 0; offset < body.length; offset++) bytes.push(body.subarray(offset, offset + 1));
      assert.deepEqual(stable(parseStreamPieces(bytes)), expected, 'one byte at a time');
      const stride = body.length > EXHAUSTIVE_LIMIT ? 11 : 1;
      for (let cut = 1; cut < body.length; cut += stride) {
        const events = stable(parseStreamPieces([body.subarray(0, cut), body.subarray(cut)]));
        assert.deepEqual(events, expected, `split at byte ${cut}`);
      }
    });
  }
});
