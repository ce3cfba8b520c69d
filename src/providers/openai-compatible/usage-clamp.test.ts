import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampedUsage } from './usage-clamp.ts';

describe('clampedUsage', () => {
  it('leaves sane usage alone (undefined: the bytes pass through)', () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 3,
      total_tokens: 13,
      prompt_tokens_details: { cached_tokens: 0 },
    };
    assert.equal(clampedUsage(usage), undefined);
  });

  it('sets negative, fractional and non-finite counts to whole non-negative numbers, nested ones too', () => {
    const usage = {
      prompt_tokens: -5,
      completion_tokens: 2.7,
      total_tokens: 1e300,
      prompt_tokens_details: { cached_tokens: -1, audio_tokens: 4 },
      note: 'kept',
    };
    assert.deepEqual(clampedUsage(usage), {
      prompt_tokens: 0,
      completion_tokens: 2,
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 4 },
      note: 'kept',
    });
  });
});
