/** Request building: top-level parameters, reasoning, response_format, raw-field merging, headers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build, testTarget } from '../../../test/support/providers/anthropic/test-helpers.ts';
import type { ReasoningEffort, ToolDefinition } from '../../core/types.ts';
import { claudeModelInfo } from './models.ts';
import { THINKING_BUDGETS } from './reasoning.ts';

const target = testTarget;
const drop = testTarget('claude-sonnet-4-5', { capabilities: { dropUnsupported: true } });
const weather: ToolDefinition = { type: 'function', name: 'weather', parameters: { type: 'object', properties: {} } };

describe('HTTP request', () => {
  test('POST {baseUrl}/v1/messages with x-api-key, anthropic-version, JSON; no beta header by default', () => {
    const { url, headers, body } = build({ stream: true });
    assert.equal(url, 'https://api.anthropic.com/v1/messages');
    assert.deepEqual(headers, {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant-test-key-123456',
    });
    assert.equal(body.stream, true);
    assert.equal(build().body.stream, undefined);
  });

  test('a base URL already ending in /v1 is accepted; configured headers and betas are merged', () => {
    const built = build(
      { providerOptions: { anthropic: { betas: ['context-1m-2025-08-07'] } } },
      target('claude-sonnet-4-5', {
        baseUrl: 'http://proxy.local/anthropic/v1',
        headers: { 'anthropic-beta': 'a-beta', 'x-extra': '1' },
      }),
    );
    assert.equal(built.url, 'http://proxy.local/anthropic/v1/messages');
    assert.equal(built.headers['anthropic-beta'], 'a-beta,context-1m-2025-08-07');
    assert.equal(built.headers['x-extra'], '1');
    assert.equal(built.body.betas, undefined);
  });
});

describe('max_tokens', () => {
  test('default is the model maximum from the built-in table', () => {
    const table: Array<[string, number]> = [
      ['claude-opus-4-7', 128_000],
      ['claude-opus-4-6', 128_000],
      ['claude-sonnet-4-6', 128_000],
      ['claude-sonnet-4-5-20250929', 64_000],
      ['claude-haiku-4-5', 64_000],
      ['claude-opus-4-5-20251101', 64_000],
      ['claude-opus-4-1-20250805', 32_000],
      ['claude-opus-4-20250514', 32_000],
      ['claude-sonnet-4-0', 64_000],
      ['claude-3-7-sonnet-latest', 64_000],
      ['claude-3-5-sonnet-20241022', 8_192],
      ['claude-3-5-haiku-latest', 8_192],
      ['claude-3-haiku-20240307', 4_096],
      ['claude-3-opus-20240229', 4_096],
      ['claude-sonnet-5', 128_000],
      ['anthropic.claude-sonnet-4-5-20250929-v1:0', 64_000],
      ['claude-some-future-model', 64_000],
      ['my-local-model', 4_096],
    ];
    for (const [model, expected] of table) {
      assert.equal(build({}, target(model)).body.max_tokens, expected, model);
      assert.equal(claudeModelInfo(model).maxOutputTokens, expected, model);
    }
  });

  test('client value kept; above a known maximum lowered with a warning; deployment default overrides the table', () => {
    assert.equal(build({ maxOutputTokens: 300 }).body.max_tokens, 300);
    const high = build({ maxOutputTokens: 100_000 });
    assert.equal(high.body.max_tokens, 64_000);
    assert.ok(high.warnings[0]?.includes('max_tokens lowered'), "high.warnings[0]?.includes('max_tokens lowered')");
    assert.equal(
      build({}, target('claude-sonnet-4-5', { capabilities: { maxOutputTokens: 2048 } })).body.max_tokens,
      2048,
    );
  });
});

describe('sampling and stop', () => {
  test('temperature clamped to 0..1 with a warning; top_p and top_k passed', () => {
    const { body, warnings } = build({ temperature: 1.6, topK: 40 }, target('claude-sonnet-4-0'));
    assert.equal(body.temperature, 1);
    assert.equal(body.top_k, 40);
    assert.deepEqual(warnings, ['temperature clamped from 1.6 to 1 (Claude range 0-1)']);
    assert.equal(build({ topP: 0.9 }).body.top_p, 0.9);
    assert.equal(build({ temperature: 0.2 }).body.temperature, 0.2);
  });

  test('4.5+ models take temperature or top_p, not both; 4.7+ take neither', () => {
    const both = build({ temperature: 0.5, topP: 0.9 });
    assert.equal(both.body.top_p, undefined);
    assert.equal(both.body.temperature, 0.5);
    assert.equal(build({ temperature: 0.5, topP: 0.9 }, target('claude-sonnet-4-0')).body.top_p, 0.9);
    const newest = build({ temperature: 0.7, topP: 0.9, topK: 5 }, target('claude-opus-4-7'));
    assert.equal(newest.body.temperature, undefined);
    assert.equal(newest.body.top_p, undefined);
    assert.equal(newest.body.top_k, undefined);
    assert.equal(newest.warnings.length, 3);
  });

  test('stop → stop_sequences; whitespace-only sequences dropped with a warning', () => {
    assert.deepEqual(build({ stop: ['END'] }).body.stop_sequences, ['END']);
    const spaced = build({ stop: ['\n', 'STOP'] });
    assert.deepEqual(spaced.body.stop_sequences, ['STOP']);
    assert.equal(spaced.warnings.length, 1);
  });

  test('user → metadata.user_id, but never an email or phone number', () => {
    assert.deepEqual(build({ user: 'user-123' }).body.metadata, { user_id: 'user-123' });
    const email = build({ user: 'jane@example.com' });
    assert.equal(email.body.metadata, undefined);
    assert.equal(email.warnings.length, 1);
    assert.equal(build({ user: '+1 (555) 010-9999' }).body.metadata, undefined);
  });
});

describe('fields Claude cannot honour', () => {
  const cases: Array<[string, Parameters<typeof build>[0]]> = [
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { topLogprobs: 2 }],
    ['presence_penalty', { presencePenalty: 0.5 }],
    ['frequency_penalty', { frequencyPenalty: 0.5 }],
    ['seed', { seed: 7 }],
    ['logit_bias', { logitBias: { '50256': -100 } }],
  ];
  for (const [param, fields] of cases) {
    test(`${param}: 400 unsupported_parameter naming it, or dropped with a warning`, () => {
      assert.throws(() => build(fields), { name: 'GatewayError', code: 'unsupported_parameter', status: 400, param });
      const dropped = build(fields, drop);
      assert.deepEqual(Object.keys(dropped.body).sort(), ['max_tokens', 'messages', 'model']);
      assert.ok(
        dropped.warnings.some((warning) => warning.startsWith(`${param} dropped`)),
        `a warning says ${param} was dropped`,
      );
    });
  }

  test('logprobs: false is not an error', () => {
    assert.doesNotThrow(() => build({ logprobs: false }));
  });
});

describe('reasoning_effort → thinking', () => {
  test('budget models: documented table, max_tokens default kept above the budget', () => {
    for (const [effort, budget] of Object.entries(THINKING_BUDGETS)) {
      const { body } = build({ reasoning: { effort: effort as ReasoningEffort } });
      assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: budget }, effort);
      assert.equal(body.max_tokens, 64_000);
      assert.equal(body.output_config, undefined);
    }
    assert.equal(build({ reasoning: { effort: 'none' } }).body.thinking, undefined);
  });

  test('client max_tokens at or below the budget is raised with a warning; above it is kept', () => {
    const low = build({ reasoning: { effort: 'medium' }, maxOutputTokens: 1000 });
    assert.equal(low.body.max_tokens, 9192);
    assert.deepEqual(low.body.thinking, { type: 'enabled', budget_tokens: 8192 });
    assert.ok(
      low.warnings.some((w) => w.startsWith('max_tokens raised from 1000 to 9192')),
      "low.warnings.some((w) => w.startsWith('max_tokens raised from 1000...",
    );
    const kept = build({ reasoning: { effort: 'low' }, maxOutputTokens: 5000 });
    assert.equal(kept.body.max_tokens, 5000);
    assert.deepEqual(kept.warnings, []);
    const capped = build({ reasoning: { effort: 'xhigh' } }, target('claude-opus-4-1'));
    assert.deepEqual(capped.body.thinking, { type: 'enabled', budget_tokens: 24_000 });
    const tight = build({ reasoning: { effort: 'xhigh' }, maxOutputTokens: 30_000 }, target('claude-opus-4-1'));
    assert.equal(tight.body.max_tokens, 32_000);
    assert.deepEqual(tight.body.thinking, { type: 'enabled', budget_tokens: 2000 });
  });

  test('with thinking: temperature ≠ 1, top_k, top_p < 0.95 dropped and forced tool_choice relaxed, each with a warning', () => {
    const { body, warnings } = build(
      {
        reasoning: { effort: 'low' },
        temperature: 0.3,
        topK: 10,
        topP: 0.5,
        tools: [weather],
        toolChoice: { type: 'required' },
      },
      target('claude-sonnet-4-0'),
    );
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_k, undefined);
    assert.equal(body.top_p, undefined);
    assert.deepEqual(body.tool_choice, { type: 'auto' });
    assert.equal(warnings.length, 4);
    assert.equal(build({ reasoning: { effort: 'low' }, temperature: 1 }).body.temperature, 1);
  });

  test('adaptive models: thinking adaptive + output_config.effort; xhigh → max on 4.6, xhigh on 4.7; none → disabled', () => {
    const mid = build({ reasoning: { effort: 'medium' } }, target('claude-opus-4-6'));
    assert.deepEqual(mid.body.thinking, { type: 'adaptive', display: 'summarized' });
    assert.deepEqual(mid.body.output_config, { effort: 'medium' });
    assert.deepEqual(build({ reasoning: { effort: 'minimal' } }, target('claude-sonnet-4-6')).body.output_config, {
      effort: 'low',
    });
    assert.deepEqual(build({ reasoning: { effort: 'xhigh' } }, target('claude-opus-4-6')).body.output_config, {
      effort: 'max',
    });
    assert.deepEqual(build({ reasoning: { effort: 'xhigh' } }, target('claude-opus-4-7')).body.output_config, {
      effort: 'xhigh',
    });
    assert.deepEqual(build({ reasoning: { effort: 'none' } }, target('claude-opus-4-7')).body.thinking, {
      type: 'disabled',
    });
  });

  test('models that reject forced tool use get tool_choice auto with a warning', () => {
    const { body, warnings } = build(
      { tools: [weather], toolChoice: { type: 'function', name: 'weather' } },
      target('claude-opus-5-5'),
    );
    assert.deepEqual(body.tool_choice, { type: 'auto' });
    assert.deepEqual(warnings, ['tool_choice relaxed to auto: this model rejects forced tool use']);
    assert.deepEqual(
      build({ tools: [weather], toolChoice: { type: 'required' } }, target('claude-opus-5')).body.tool_choice,
      { type: 'any' },
    );
  });

  test('an explicit thinking object from provider options wins over reasoning_effort and is fitted too', () => {
    const { body } = build({
      reasoning: { effort: 'high' },
      maxOutputTokens: 2000,
      providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 3000 } } },
    });
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 3000 });
    assert.equal(body.max_tokens, 5000);
  });
});

describe('response_format', () => {
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  };

  test('json_schema on a structured-output model → output_config.format', () => {
    const { body } = build({ responseFormat: { type: 'json_schema', name: 'city', schema } });
    assert.deepEqual(body.output_config, { format: { type: 'json_schema', schema } });
    assert.equal(body.tools, undefined);
    assert.equal(build({ responseFormat: { type: 'text' } }).body.output_config, undefined);
  });

  test('json_schema on an older model → forced llmux_json_response tool', () => {
    const { body } = build(
      { responseFormat: { type: 'json_schema', name: 'city', schema, description: 'A city.' } },
      target('claude-sonnet-4-0'),
    );
    assert.deepEqual(body.tools, [
      {
        name: 'llmux_json_response',
        description: 'Give your final answer by calling this tool; its input is the answer as JSON. A city.',
        input_schema: schema,
      },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'llmux_json_response' });
  });

  test('json_object → forced tool with an open object schema; with client tools → any without parallel calls', () => {
    const plain = build({ responseFormat: { type: 'json_object' } });
    assert.deepEqual((plain.body.tools as Array<{ input_schema: unknown }>)[0]?.input_schema, { type: 'object' });
    assert.deepEqual(plain.body.tool_choice, { type: 'tool', name: 'llmux_json_response' });
    const withTools = build({ responseFormat: { type: 'json_object' }, tools: [weather] });
    assert.deepEqual(
      (withTools.body.tools as Array<{ name: string }>).map((tool) => tool.name),
      ['weather', 'llmux_json_response'],
    );
    assert.deepEqual(withTools.body.tool_choice, { type: 'any', disable_parallel_tool_use: true });
  });

  test('with thinking the JSON tool is offered with tool_choice auto and a warning', () => {
    const { body, warnings } = build({ responseFormat: { type: 'json_object' }, reasoning: { effort: 'low' } });
    assert.deepEqual(body.tool_choice, { type: 'auto' });
    assert.ok(
      warnings.some((w) => w.includes('not enforced')),
      "warnings.some((w) => w.includes('not enforced'))",
    );
    const native = build({ responseFormat: { type: 'json_schema', name: 'c', schema }, reasoning: { effort: 'low' } });
    assert.deepEqual(native.body.output_config, { format: { type: 'json_schema', schema } });
  });
});

describe('provider options and deployment overrides', () => {
  test('client provider_options.anthropic merged; deployment bodyOverrides win; output_config/metadata merged one level', () => {
    const { body, warnings } = build(
      {
        user: 'u1',
        reasoning: { effort: 'high' },
        providerOptions: {
          anthropic: {
            top_k: 5,
            service_tier: 'auto',
            model: 'claude-opus-4-7',
            output_config: { format: { type: 'json_schema', schema: {} } },
          },
        },
      },
      target('claude-opus-4-6', { bodyOverrides: { service_tier: 'standard_only', metadata: { user_id: 'ops' } } }),
    );
    assert.equal(body.model, 'claude-opus-4-6');
    assert.equal(body.top_k, undefined); // dropped: top_k is not allowed with thinking
    assert.equal(body.service_tier, 'standard_only');
    assert.deepEqual(body.metadata, { user_id: 'ops' });
    assert.deepEqual(body.output_config, { format: { type: 'json_schema', schema: {} }, effort: 'high' });
    assert.ok(
      warnings.includes("provider_options.anthropic field 'model' ignored: llmux sets it"),
      "warnings.includes(\"provider_options.anthropic field 'model' ignor...",
    );
  });

  test('OpenAI service_tier auto/default map; others are reported', () => {
    assert.equal(build({ serviceTier: 'auto' }).body.service_tier, 'auto');
    assert.equal(build({ serviceTier: 'default' }).body.service_tier, 'standard_only');
    const flex = build({ serviceTier: 'flex' });
    assert.equal(flex.body.service_tier, undefined);
    assert.equal(flex.warnings.length, 1);
  });
});
