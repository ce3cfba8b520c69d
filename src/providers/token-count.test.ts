/** Usage from a broken or hostile upstream: negative, non-finite and non-numeric counts never reach billing or the log. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicUsage } from '../protocols/anthropic-messages.ts';
import type { GeminiUsageMetadata } from '../protocols/gemini.ts';
import type { OpenAIUsage } from '../protocols/openai-chat.ts';
import { fromAnthropicUsage } from './anthropic/usage.ts';
import { fromGeminiUsage } from './gemini/usage.ts';
import { fromOpenAIUsage } from './openai-compatible/usage.ts';
import { tokenCount } from './token-count.ts';

/** JSON as an upstream could send it (1e400 parses to Infinity). */
const wire = <T>(json: string): T => JSON.parse(json) as T;

describe('token counts from upstreams', () => {
  it('tokenCount keeps non-negative whole numbers and drops the rest', () => {
    assert.equal(tokenCount(0), 0);
    assert.equal(tokenCount(42), 42);
    assert.equal(tokenCount(7.9), 7, 'fractions are floored (the log stores bigint)');
    for (const bad of [-1, -0.5, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 64, '12', null, undefined, {}]) {
      assert.equal(tokenCount(bad), undefined, `${String(bad)} is not a token count`);
    }
  });

  it('OpenAI usage: negative and non-finite counts become 0 / absent', () => {
    const usage = fromOpenAIUsage(
      wire<OpenAIUsage>(
        '{"prompt_tokens":-5,"completion_tokens":1e400,"prompt_tokens_details":{"cached_tokens":-1,"audio_tokens":3},' +
          '"completion_tokens_details":{"reasoning_tokens":-2,"accepted_prediction_tokens":"9"}}',
      ),
    );
    assert.equal(usage.inputTokens, 0, 'negative prompt_tokens');
    assert.equal(usage.outputTokens, 0, 'infinite completion_tokens');
    assert.equal(usage.cachedInputTokens, undefined, 'negative cached_tokens is absent');
    assert.equal(usage.reasoningTokens, undefined, 'negative reasoning_tokens is absent');
    assert.equal(usage.acceptedPredictionTokens, undefined, 'a string is not a count');
    assert.equal(usage.audioInputTokens, 3, 'valid counts are kept');
  });

  it('Anthropic usage: negative counts add nothing to the input total', () => {
    const usage = fromAnthropicUsage(
      wire<AnthropicUsage>(
        '{"input_tokens":10,"cache_read_input_tokens":-100,"cache_creation_input_tokens":1e400,"output_tokens":-3,' +
          '"output_tokens_details":{"thinking_tokens":-1}}',
      ),
    );
    assert.equal(usage.inputTokens, 10, 'only the valid input count');
    assert.equal(usage.cachedInputTokens, 0);
    assert.equal(usage.cacheWriteTokens, 0);
    assert.equal(usage.outputTokens, 0);
    assert.equal(usage.reasoningTokens, undefined);
  });

  it('Gemini usage: negative counts are absent, valid ones kept', () => {
    const usage = fromGeminiUsage(
      wire<GeminiUsageMetadata>(
        '{"promptTokenCount":-9,"candidatesTokenCount":4,"thoughtsTokenCount":-4,"cachedContentTokenCount":-1,' +
          '"totalTokenCount":-5,"promptTokensDetails":[{"modality":"AUDIO","tokenCount":-2}]}',
      ),
    );
    assert.equal(usage.inputTokens, 0);
    assert.equal(usage.outputTokens, 4, 'negative thoughts are not subtracted');
    assert.equal(usage.reasoningTokens, undefined);
    assert.equal(usage.cachedInputTokens, undefined);
    assert.equal(usage.audioInputTokens, undefined);
  });
});
