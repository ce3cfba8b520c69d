/**
 * Field by field: every OpenAI request field without a Claude or Gemini equivalent is a 400 naming
 * it, or, under `capabilities.dropUnsupported`, dropped and listed in the warnings; hint fields
 * (no effect on the answer) are always accepted and listed. Nothing is dropped silently.
 * The table in docs/translation.md says the same.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../src/core/errors.ts';
import { anthropicAdapter } from '../src/providers/anthropic/index.ts';
import { geminiAdapter } from '../src/providers/gemini/index.ts';
import type { DeploymentTarget, ProviderAdapter } from '../src/providers/types.ts';
import { fromOpenAIChatRequest } from '../src/surfaces/openai-chat/to-canonical.ts';
import { validateChatRequest } from '../src/surfaces/openai-chat/validate-request.ts';

type Outcome = 'unsupported' | 'warned' | 'accepted';

const providers: Array<{ name: string; adapter: ProviderAdapter; model: string }> = [
  { name: 'Claude', adapter: anthropicAdapter, model: 'claude-sonnet-4-5' },
  { name: 'Gemini', adapter: geminiAdapter, model: 'gemini-2.5-flash' },
];

const tool = { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } };

/** field, value, outcome on Claude, outcome on Gemini. */
const cases: Array<[string, unknown, Outcome, Outcome]> = [
  ['store', true, 'warned', 'warned'],
  ['store', false, 'accepted', 'accepted'],
  ['prompt_cache_key', 'k1', 'warned', 'warned'],
  ['prompt_cache_retention', '24h', 'warned', 'warned'],
  ['safety_identifier', 'u-hash', 'warned', 'warned'],
  ['prediction', { type: 'content', content: 'draft' }, 'unsupported', 'unsupported'],
  ['audio', { voice: 'alloy', format: 'wav' }, 'unsupported', 'unsupported'],
  ['modalities', ['text', 'audio'], 'unsupported', 'accepted'],
  ['modalities', ['text'], 'accepted', 'accepted'],
  ['web_search_options', {}, 'unsupported', 'unsupported'],
  ['verbosity', 'low', 'unsupported', 'unsupported'],
  ['logit_bias', { '50256': -100 }, 'unsupported', 'unsupported'],
  ['moderation', { model: 'x' }, 'unsupported', 'unsupported'],
  ['some_future_field', 1, 'unsupported', 'unsupported'],
  // `functions` next to `tools`: the tools win, the functions are not silently lost.
  ['functions', [{ name: 'g' }], 'unsupported', 'unsupported'],
];

function target(model: string, providerType: string, dropUnsupported: boolean): DeploymentTarget {
  return {
    providerName: 'p',
    providerType,
    baseUrl: 'http://upstream.invalid',
    apiKey: 'k',
    model,
    capabilities: { dropUnsupported },
  };
}

function build(provider: (typeof providers)[number], field: string, value: unknown, drop: boolean) {
  const body: Record<string, unknown> = { model: 'm', messages: [{ role: 'user', content: 'hi' }], [field]: value };
  if (field === 'functions') body.tools = [tool];
  const request = fromOpenAIChatRequest(validateChatRequest(body));
  return provider.adapter.buildRequest(request, target(provider.model, provider.adapter.type, drop));
}

describe('OpenAI fields without an equivalent: 400, or dropped and listed', () => {
  for (const provider of providers) {
    for (const [field, value, onClaude, onGemini] of cases) {
      const expected = provider.name === 'Claude' ? onClaude : onGemini;
      it(`${provider.name}: ${field} = ${JSON.stringify(value)} → ${expected}`, () => {
        const mentions = (warnings: string[]) => warnings.some((warning) => warning.includes(field));
        if (expected === 'unsupported') {
          assert.throws(
            () => build(provider, field, value, false),
            (error: unknown) =>
              error instanceof GatewayError && error.code === 'unsupported_parameter' && error.param === field,
            `a 400 naming '${field}'`,
          );
          assert.ok(mentions(build(provider, field, value, true).warnings), `dropUnsupported: '${field}' is listed`);
          return;
        }
        for (const drop of [false, true]) {
          const { warnings } = build(provider, field, value, drop);
          assert.equal(
            mentions(warnings),
            expected === 'warned',
            `'${field}' listed in the warnings: ${warnings.join('; ')}`,
          );
        }
      });
    }
  }
});
