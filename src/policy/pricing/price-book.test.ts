import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../config/load.ts';
import type { Usage } from '../../core/types.ts';
import { findBundledModel } from './bundled.ts';
import { microsUp, usdToMicros } from './micros.ts';
import { createPriceBook } from './price-book.ts';
import type { PricedTarget } from './types.ts';
import { unpricedDeployments } from './unpriced.ts';

const target = (providerName: string, providerType: string, upstreamModel: string, publicModel = upstreamModel) =>
  ({ publicModel, providerName, providerType, upstreamModel }) satisfies PricedTarget;

const usage = (inputTokens: number, outputTokens: number, extra: Partial<Usage> = {}): Usage => ({
  inputTokens,
  outputTokens,
  estimated: false,
  ...extra,
});

test('rounding: up to a whole micro-USD, but float noise never adds one', () => {
  assert.equal(microsUp(0.1 * 3 * 10), 3, '3.0000000000000004 µUSD is 3');
  assert.equal(usdToMicros(0.000003), 3, '$0.000003 is 3 µUSD (2.9999999999999996 in floating point)');
  assert.equal(microsUp(3.01), 4, 'a real fraction rounds up');
  assert.equal(microsUp(0.4), 1, 'any real cost is at least 1 µUSD');
  assert.equal(microsUp(0), 0, 'nothing costs nothing');
  assert.equal(microsUp(Number.NaN), 0, 'NaN is 0');
  assert.equal(microsUp(-5), 0, 'negative is 0');
});

test('overrides: USD per 1M tokens, cache rates default to the input rate', () => {
  const book = createPriceBook({
    models: [
      { model: 'local/*', input: 0.1, output: 0.4, cachedInput: 0.05 },
      { model: 'cached-writes', input: 1, output: 2, cacheWrite: 1.25 },
    ],
  });
  const local = book.priceFor(target('local', 'openai-compatible', 'llama3'));
  assert.ok(local, 'provider/upstream pattern matches');
  assert.equal(local.source, 'config', 'source names the config');
  // 30 uncached × 0.10 (float noise: 3.0000000000000004) + 0 out → 3
  assert.equal(local.cost(usage(30, 0)), 3, 'no micro added by float noise');
  // 1000 in of which 400 cached: 600 × 0.1 + 400 × 0.05 + 100 × 0.4 = 60 + 20 + 40
  assert.equal(local.cost(usage(1000, 100, { cachedInputTokens: 400 })), 120, 'cached input rate');
  // Cache writes without a cacheWrite rate: at the input rate.
  assert.equal(local.cost(usage(1000, 0, { cacheWriteTokens: 1000 })), 100, 'writes at the input rate');
  assert.equal(local.worstCase(1000, 100), 100 + 40, 'worst case at input and output rates');
  assert.equal(local.blendedPerMillion, 0.5, 'blended input + output');

  const writes = book.priceFor(target('p', 'openai-compatible', 'cached-writes'));
  assert.ok(writes, 'upstream name matches');
  // 200 × 1 + 800 × 1.25 + 10 × 2
  assert.equal(writes.cost(usage(1000, 10, { cacheWriteTokens: 800 })), 1220, 'cache write rate');
  assert.equal(writes.worstCase(1000, 10), 1250 + 20, 'worst case at the dearer cache-write rate');
});

test('overrides: public name, upstream name or provider/upstream; first rule wins; beats the table', () => {
  const book = createPriceBook({
    models: [
      { model: 'fast', input: 1, output: 1 },
      { model: 'gpt-4o', input: 2, output: 2 },
      { model: 'azure-eu/*', input: 3, output: 3 },
      { model: '*', input: 9, output: 9 },
    ],
  });
  const rate = (t: PricedTarget) => book.priceFor(t)?.cost(usage(1_000_000, 0));
  assert.equal(rate(target('openai', 'openai', 'gpt-4o-mini', 'fast')), 1_000_000, 'public name');
  assert.equal(rate(target('openai', 'openai', 'gpt-4o')), 2_000_000, 'upstream name beats the bundled $2.50');
  assert.equal(rate(target('azure-eu', 'azure', 'gpt-4o-mini', 'mini')), 3_000_000, 'provider/upstream');
  assert.equal(rate(target('sim', 'simulator', 'demo')), 9_000_000, 'catch-all last');
});

test('bundled: provider types map to genai-prices providers; unknown names are unpriced', () => {
  const book = createPriceBook({ models: [] });
  assert.equal(book.priceFor(target('oa', 'openai', 'gpt-4o'))?.source, 'genai-prices:openai/gpt-4o', 'openai');
  assert.equal(book.priceFor(target('az', 'azure', 'gpt-4o'))?.source, 'genai-prices:azure/gpt-4o', 'azure');
  assert.equal(
    book.priceFor(target('g', 'gemini', 'gemini-2.5-flash'))?.source,
    'genai-prices:google/gemini-2.5-flash',
    'gemini → google',
  );
  assert.equal(
    book.priceFor(target('compat', 'openai-compatible', 'gpt-4o-mini'))?.source,
    'genai-prices:openai/gpt-4o-mini',
    'openai-compatible matches by model name',
  );
  assert.equal(book.priceFor(target('compat', 'openai-compatible', 'my-finetune')), undefined, 'a miss is unpriced');
  assert.equal(book.priceFor(target('sim', 'simulator', 'demo')), undefined, 'simulator model unpriced');
  assert.equal(book.priceFor(target('a', 'anthropic', 'gpt-4o')), undefined, 'no cross-provider match with an id');
});

test('memoised: the table is consulted once per provider type and upstream model', () => {
  let lookups = 0;
  const book = createPriceBook(
    { models: [] },
    {
      findBundled: (type, model) => {
        lookups++;
        return findBundledModel(type, model);
      },
    },
  );
  const first = book.priceFor(target('oa', 'openai', 'gpt-4o', 'smart'));
  const again = book.priceFor(target('oa', 'openai', 'gpt-4o', 'smart'));
  const otherName = book.priceFor(target('oa', 'openai', 'gpt-4o', 'alias'));
  book.priceFor(target('compat', 'openai-compatible', 'nothing-here'));
  book.priceFor(target('compat', 'openai-compatible', 'nothing-here'));
  assert.equal(lookups, 2, 'one lookup for gpt-4o, one for the miss');
  assert.equal(first, again, 'the same ModelPrice');
  assert.equal(first, otherName, 'shared across public names');
  first?.cost(usage(100, 100));
  assert.equal(lookups, 2, 'cost() never looks the table up');
});

test('unpricedDeployments: lists unpriced ones; wildcards are priced per request unless a rule covers them', () => {
  const config = parseConfig(
    `providers:
  oa: { type: openai, apiKey: sk-test-key }
  local: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" }
  sim: { type: simulator }
models:
  - name: smart
    deployments: [{ provider: oa, model: gpt-4o }, { provider: sim, model: demo }]
  - name: "oa/*"
    deployments: [{ provider: oa, model: "*" }]
  - name: "local/*"
    deployments: [{ provider: local, model: "*" }]
  - name: cheap
    deployments: [{ provider: local, model: tiny }, { provider: sim, model: demo }]
pricing:
  models:
    - { model: "local/*", input: 0.1, output: 0.4 }
`,
    {},
    'pricing.yaml',
  );
  const book = createPriceBook(config.pricing);
  assert.deepEqual(
    unpricedDeployments(config, book),
    ['sim/demo', 'oa/* (priced per request)'],
    'gpt-4o bundled, local/* by the rule, sim/demo once',
  );
});

test('cost() on a bundled price takes about 10 µs', () => {
  const price = createPriceBook({ models: [] }).priceFor(target('a', 'anthropic', 'claude-sonnet-4-6'));
  assert.ok(price, 'priced');
  const sample = usage(18642, 100, { cachedInputTokens: 3, cacheWriteTokens: 18639 });
  for (let i = 0; i < 500; i++) price.cost(sample);
  const runs = 5000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) price.cost(sample);
  const microsPerCall = Number(process.hrtime.bigint() - started) / 1000 / runs;
  assert.ok(microsPerCall < 200, `cost() took ${microsPerCall.toFixed(1)} µs per call`);
});
