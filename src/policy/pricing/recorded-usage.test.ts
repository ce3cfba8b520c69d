/**
 * Recorded upstream usage, parsed by our own provider converters and priced, against figures worked
 * out by hand from the published rates (USD per 1M tokens == µUSD per token) of
 * @pydantic/genai-prices 0.1.8. Costs are µUSD rounded up.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadChunkLines, readFixtureJson } from '../../../test/support/fixtures.ts';
import type { Usage } from '../../core/types.ts';
import type { AnthropicUsage } from '../../protocols/anthropic-messages.ts';
import type { GeminiUsageMetadata } from '../../protocols/gemini.ts';
import { fromAnthropicUsage, mergeAnthropicUsage } from '../../providers/anthropic/usage.ts';
import { fromGeminiUsage } from '../../providers/gemini/usage.ts';
import { fromOpenAIUsage } from '../../providers/openai-compatible/usage.ts';
import type { UpstreamUsage } from '../../providers/openai-compatible/wire-types.ts';
import { createPriceBook } from './price-book.ts';
import type { ModelPrice } from './types.ts';

const JUNE_2026 = Date.parse('2026-06-01T12:00:00Z');
const JANUARY_2026 = Date.parse('2026-01-15T12:00:00Z');

function priceOf(providerType: string, upstreamModel: string, now = JUNE_2026): ModelPrice {
  const book = createPriceBook({ models: [] }, { now: () => now });
  const price = book.priceFor({ publicModel: upstreamModel, providerName: providerType, providerType, upstreamModel });
  assert.ok(price, `${providerType}/${upstreamModel} should have a bundled price`);
  return price;
}

function record(value: unknown): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), 'expected a JSON object');
  return value as Record<string, unknown>;
}

/** Anthropic stream usage: message_start's usage merged with message_delta's, as the adapter does. */
function anthropicStreamUsage(rel: string): Usage {
  const events = loadChunkLines(rel).map((line) => record(JSON.parse(line)));
  const start = events.find((event) => event.type === 'message_start');
  const delta = events.find((event) => event.type === 'message_delta');
  assert.ok(start && delta, `${rel} has message_start and message_delta`);
  const startUsage = record(record(start.message).usage) as AnthropicUsage;
  return fromAnthropicUsage(mergeAnthropicUsage(startUsage, record(delta.usage) as AnthropicUsage));
}

test('OpenAI gpt-4.1-nano: 16 in, 363 out at $0.10 / $0.40', () => {
  const body = record(readFixtureJson('openai/vercel-ai/openai-text.json'));
  const usage = fromOpenAIUsage(record(body.usage) as UpstreamUsage);
  const price = priceOf('openai', String(body.model));
  assert.equal(price.source, 'genai-prices:openai/gpt-4.1-nano', 'the dated name resolves to gpt-4.1-nano');
  // 16 × 0.10 + 363 × 0.40 = 1.6 + 145.2 = 146.8 → 147
  assert.equal(price.cost(usage), 147, 'cost in µUSD');
});

test('OpenAI gpt-4o-mini with cached input at $0.15 / cached $0.075 / $0.60', () => {
  const record11178 = record(readFixtureJson('openai/vercel-ai/openai-chat-cached-input-tokens-11178.json'));
  const attempts = record11178.attempts as unknown[];
  const [cold, warm] = attempts.map((attempt) => record(record(attempt).rawResponseBody));
  assert.ok(cold && warm, 'two recorded attempts');
  const price = priceOf('openai', String(warm.model));
  // cold: 10122 × 0.15 + 1 × 0.60 = 1518.3 + 0.6 = 1518.9 → 1519
  assert.equal(price.cost(fromOpenAIUsage(record(cold.usage) as UpstreamUsage)), 1519, 'uncached request');
  // warm: 9984 cached of 10122: 138 × 0.15 + 9984 × 0.075 + 1 × 0.60 = 20.7 + 748.8 + 0.6 = 770.1 → 771
  assert.equal(price.cost(fromOpenAIUsage(record(warm.usage) as UpstreamUsage)), 771, 'cached request');
});

test('Anthropic claude-sonnet-4-6 cache write: 3 in, 18639 written, 1 out at $3 / write $3.75 / $15', () => {
  const usage = anthropicStreamUsage('anthropic/vercel-ai/anthropic-issue-5942-cache-write.chunks.txt');
  assert.equal(usage.inputTokens, 18642, 'our inputTokens include cache writes');
  // 3 × 3 + 18639 × 3.75 + 1 × 15 = 9 + 69896.25 + 15 = 69920.25 → 69921
  assert.equal(
    priceOf('anthropic', 'claude-sonnet-4-6').cost(usage),
    69921,
    'cache writes priced once, at the write rate',
  );
});

test('Anthropic claude-sonnet-4-6 cache read: 3 in, 18639 read, 1 out at $3 / read $0.30 / $15', () => {
  const usage = anthropicStreamUsage('anthropic/vercel-ai/anthropic-issue-5942-cache-read.chunks.txt');
  // 3 × 3 + 18639 × 0.30 + 1 × 15 = 9 + 5591.7 + 15 = 5615.7 → 5616
  assert.equal(priceOf('anthropic', 'claude-sonnet-4-6').cost(usage), 5616, 'cache reads priced at the read rate');
});

test('Anthropic 1-hour cache writes are priced at their own rate ($6 for claude-sonnet-4-6)', () => {
  const usage = fromAnthropicUsage({
    input_tokens: 10,
    cache_creation_input_tokens: 1000,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1000 },
    output_tokens: 10,
  });
  // 10 × 3 + 1000 × 6 + 10 × 15 = 30 + 6000 + 150
  assert.equal(priceOf('anthropic', 'claude-sonnet-4-6').cost(usage), 6180, '1h writes at $6, not $3.75');
});

test('Gemini gemini-3-pro-preview with thoughts: 9 in, 28 + 244 thought tokens out at $2 / $12', () => {
  const body = record(readFixtureJson('gemini/vercel-ai/google-text.json'));
  const usage = fromGeminiUsage(record(body.usageMetadata) as GeminiUsageMetadata);
  assert.equal(usage.outputTokens, 272, 'thoughts count as output');
  // 9 × 2 + 272 × 12 = 18 + 3264 = 3282
  assert.equal(priceOf('gemini', String(body.modelVersion)).cost(usage), 3282, 'thoughts priced as output');
});

test('tiers: gemini-3-pro-preview reprices the whole request above 200k input ($4 / $18)', () => {
  const price = priceOf('gemini', 'gemini-3-pro-preview');
  const at = (inputTokens: number) => price.cost({ inputTokens, outputTokens: 1000, estimated: false });
  assert.equal(at(200_000), 200_000 * 2 + 1000 * 12, 'at the threshold: base rates');
  assert.equal(at(250_000), 250_000 * 4 + 1000 * 18, 'above it: every token at the tier rate');
  assert.equal(price.worstCase(1000, 100), 1000 * 4 + 100 * 18, 'worst case at the highest tier');
  assert.equal(price.blendedPerMillion, 2 + 12, 'blended at base rates');
});

test('conditional prices: claude-sonnet-4-6 was tiered before 2026-03-13 and flat after', () => {
  const usage: Usage = { inputTokens: 250_000, outputTokens: 1000, estimated: false };
  // January: > 200k input → $6 in / $22.5 out for the whole request.
  assert.equal(priceOf('anthropic', 'claude-sonnet-4-6', JANUARY_2026).cost(usage), 1_500_000 + 22_500, 'tiered');
  assert.equal(priceOf('anthropic', 'claude-sonnet-4-6', JUNE_2026).cost(usage), 750_000 + 15_000, 'flat $3 / $15');
  // Worst case: the dearest input-side rate (1h cache writes: $12 tiered, $6 flat) and the top output rate.
  assert.equal(priceOf('anthropic', 'claude-sonnet-4-6', JANUARY_2026).worstCase(1000, 100), 12_000 + 2250, 'tiered');
  assert.equal(priceOf('anthropic', 'claude-sonnet-4-6', JUNE_2026).worstCase(1000, 100), 6000 + 1500, 'flat');
});

test('inconsistent usage (more cached than input) is clamped, not thrown', () => {
  const price = priceOf('openai', 'gpt-4o-mini');
  const cost = price.cost({ inputTokens: 100, cachedInputTokens: 500, outputTokens: -3, estimated: true });
  // All 100 input tokens cached at $0.075; negative output counts as 0.
  assert.equal(cost, 8, '100 × 0.075 = 7.5 → 8');
});
