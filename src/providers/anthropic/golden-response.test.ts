/**
 * Golden tests: every recorded non-streaming Anthropic body (vercel-ai JSON, pydantic-ai cassettes)
 * through parseResponse / parseError, rendered as an OpenAI chat.completion / error, field by field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listFixtures, loadCassette, loadVercelJson, type RecordedResponse } from '../../../test/support/fixtures.ts';
import { testTarget } from '../../../test/support/providers/anthropic/test-helpers.ts';
import type { GatewayError } from '../../core/errors.ts';
import type { ChatResult } from '../../core/types.ts';
import { openAIErrorFields } from '../../surfaces/openai-chat/error-vocabulary.ts';
import { toOpenAIChatCompletion } from '../../surfaces/openai-chat/render-response.ts';
import { anthropicAdapter } from './index.ts';

const VA = 'anthropic/vercel-ai';
const PA = 'anthropic/pydantic-ai';
const target = testTarget();

function recorded(rel: string, index = 0): RecordedResponse {
  if (rel.endsWith('.yaml')) {
    const interaction = loadCassette(rel).interactions[index];
    if (!interaction) throw new Error(`${rel}[${index}] missing`);
    return {
      status: interaction.response.status,
      headers: interaction.response.headers,
      body: interaction.response.body,
    };
  }
  const entry = loadVercelJson(rel)[index];
  if (!entry) throw new Error(`${rel}[${index}] missing`);
  return entry;
}

function completion(rel: string, index = 0) {
  const response = recorded(rel, index);
  assert.equal(response.status, 200);
  const result: ChatResult = anthropicAdapter.parseResponse(JSON.parse(response.body.toString('utf8')), target);
  const out = toOpenAIChatCompletion(result);
  const choice = out.choices[0];
  assert.ok(choice && out.choices.length === 1, 'choice && out.choices.length === 1');
  return { out, choice, message: choice.message, result };
}

function error(rel: string, headers: Record<string, string> = {}, index = 0): GatewayError {
  const response = recorded(rel, index);
  return anthropicAdapter.parseError(response.status, response.body.toString('utf8'), headers, target);
}

describe('Anthropic messages → chat.completion (golden)', () => {
  test('text: id, model, content, finish, usage, service tier', () => {
    const { out, choice, message } = completion(`${VA}/anthropic-text.json`);
    assert.equal(out.id, 'msg_01VdEjxAP5ahtHKrrRdNBteQ');
    assert.equal(out.object, 'chat.completion');
    assert.equal(out.model, 'claude-sonnet-4-5-20250929');
    assert.ok(Math.abs(out.created - Date.now() / 1000) < 5, 'Math.abs(out.created - Date.now() / 1000) < 5');
    assert.deepEqual(message, {
      role: 'assistant',
      content:
        "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      refusal: null,
      annotations: [],
    });
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.logprobs, null);
    assert.deepEqual(out.usage, {
      prompt_tokens: 12,
      completion_tokens: 29,
      total_tokens: 41,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    assert.equal(out.service_tier, 'default');
  });

  test('thinking: reasoning_content + reasoning_details with the signature, then the text', () => {
    const { message, choice } = completion(`${VA}/anthropic-clear-thinking.1.json`);
    assert.equal(message.content, '925 ÷ 5 = 185');
    assert.equal(message.reasoning_content, '925 divided by 5 = 185');
    assert.equal(message.reasoning_details?.length, 1);
    assert.equal(message.reasoning_details?.[0]?.type, 'reasoning.text');
    assert.match(message.reasoning_details?.[0]?.signature ?? '', /^Er4BCkYICxgCKkCoxqLH/);
    assert.equal(choice.finish_reason, 'stop');
  });

  test('native structured output: the JSON text is the content', () => {
    const { message } = completion(`${VA}/anthropic-json-output-format.1.json`);
    assert.equal(JSON.parse(message.content ?? '').recipe.name, 'Classic Lasagna');
  });

  test('a client tool named "json" stays a tool call', () => {
    const { message, choice, out } = completion(`${VA}/anthropic-json-tool.1.json`);
    assert.equal(message.content, null);
    assert.equal(message.tool_calls?.[0]?.function.name, 'json');
    assert.equal(JSON.parse(message.tool_calls?.[0]?.function.arguments ?? '').elements.length, 4);
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(out.usage?.prompt_tokens, 1151);
  });

  test("llmux's JSON response tool becomes the content with finish stop", () => {
    const body = JSON.parse(recorded(`${VA}/anthropic-json-tool.1.json`).body.toString('utf8'));
    body.content[0].name = 'llmux_json_response';
    const out = toOpenAIChatCompletion(anthropicAdapter.parseResponse(body, target));
    const choice = out.choices[0];
    assert.equal(choice?.finish_reason, 'stop');
    assert.equal(choice?.message.tool_calls, undefined);
    assert.equal(JSON.parse(choice?.message.content ?? '').elements[3].location, 'Berlin');
  });

  test('text then a no-argument tool: arguments "{}"', () => {
    const { message, choice } = completion(`${VA}/anthropic-tool-no-args.json`);
    assert.match(message.content ?? '', /^<thinking>\nThe updateIssueList tool/);
    assert.deepEqual(message.tool_calls, [
      {
        id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1',
        type: 'function',
        function: { name: 'updateIssueList', arguments: '{}' },
      },
    ]);
    assert.equal(choice.finish_reason, 'tool_calls');
  });

  test('max_tokens stop → length (incl. thinking_tokens 0 and wrapper records)', () => {
    for (const rel of [
      `${VA}/anthropic-issue-11855-follow-up.json`,
      `${VA}/issue-14707-claude-opus-4-7-temperature-live.json`,
      `${VA}/issue-15580-bare-base-url-live-success.json`,
    ]) {
      const { choice, out } = completion(rel);
      assert.equal(choice.finish_reason, 'length', rel);
      assert.ok(out.usage, rel);
    }
    const opus = completion(`${VA}/issue-14707-claude-opus-4-7-temperature-live.json`);
    assert.equal(opus.message.content, 'OK');
    assert.deepEqual(opus.out.usage?.completion_tokens_details, { reasoning_tokens: 0 });
    assert.equal(opus.out.usage?.prompt_tokens, 21);
  });

  test('cassettes: thinking + tool_use, parallel tool_use, image answer, sampling answer', () => {
    const thinking = completion(`${PA}/test_anthropic_tool_with_thinking.yaml`);
    assert.match(thinking.message.reasoning_content ?? '', /^The user is asking about the largest city/);
    assert.match(thinking.message.reasoning_details?.[0]?.signature ?? '', /^EqEECkYICxgC/);
    assert.deepEqual(thinking.message.tool_calls?.[0]?.function, { name: 'get_user_country', arguments: '{}' });
    assert.equal(thinking.choice.finish_reason, 'tool_calls');
    assert.match(completion(`${PA}/test_anthropic_tool_with_thinking.yaml`, 1).message.content ?? '', /Mexico City/);

    const parallel = completion(`${PA}/test_multiple_parallel_tool_calls.yaml`);
    assert.deepEqual(
      parallel.message.tool_calls?.map((call) => JSON.parse(call.function.arguments).name),
      ['Alice', 'Bob', 'Charlie', 'Daisy'],
    );
    assert.equal(parallel.out.usage?.completion_tokens, 202);
    assert.match(completion(`${PA}/test_image_url_input.yaml`).message.content ?? '', /^This is a potato/);
    assert.equal(
      completion(`${PA}/test_anthropic_sampling_settings_reach_the_wire.yaml`).message.content,
      'Hello! 👋 How can I help you today?',
    );
  });

  test('prompt caching usage: prompt_tokens = input + cache read + cache write', () => {
    const first = completion(`${PA}/test_anthropic_cache_real_api.yaml`, 0).out.usage;
    assert.equal(first?.prompt_tokens, 3 + 1111);
    assert.equal(first?.prompt_tokens_details?.cached_tokens, 1111);
    const second = completion(`${PA}/test_anthropic_cache_real_api.yaml`, 1);
    const usage = second.out.usage;
    assert.equal(usage?.prompt_tokens_details?.cached_tokens, 1111);
    assert.equal(usage?.prompt_tokens_details?.cache_write_tokens, 418);
    assert.equal(usage?.prompt_tokens, 3 + 1111 + 418);
    assert.equal(second.result.usage?.cacheWriteTokens, 418);
  });

  test('every recorded 200 body parses (none skipped)', () => {
    let parsed = 0;
    for (const rel of listFixtures('anthropic', '.json')) {
      for (const [index, response] of loadVercelJson(rel).entries())
        if (response.status === 200) parsed += completion(rel, index) ? 1 : 0;
    }
    for (const rel of listFixtures('anthropic', '.yaml')) {
      for (const [index, interaction] of loadCassette(rel).interactions.entries()) {
        if (interaction.response.status === 200 && !interaction.response.streaming)
          parsed += completion(rel, index) ? 1 : 0;
      }
    }
    assert.equal(parsed, 16); // 8 vercel-ai bodies + 8 cassette interactions
  });

  test('a body that is not a message → upstream_bad_response; an error body with 200 → its error', () => {
    assert.throws(() => anthropicAdapter.parseResponse({ hello: 1 }, target), { code: 'upstream_bad_response' });
    assert.throws(
      () =>
        anthropicAdapter.parseResponse(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          target,
        ),
      {
        code: 'overloaded',
        status: 529,
        message: 'Overloaded',
      },
    );
  });
});

describe('Anthropic errors → GatewayError (OpenAI envelope fields)', () => {
  test('recorded 400 invalid_request_error bodies keep status and message', () => {
    for (const rel of [
      `${VA}/anthropic-issue-17366-error.json`,
      `${VA}/anthropic-parallel-provider-client-tools.error.json`,
    ]) {
      const e = error(rel);
      assert.equal(e.status, 400);
      assert.equal(e.code, 'invalid_request');
      assert.equal(openAIErrorFields(e).type, 'invalid_request_error');
      assert.equal(e.retryable, false);
      assert.equal(e.provider, 'claude');
      assert.match(e.message, /^messages\.\d/);
    }
    const xhigh = error(`${PA}/test_anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml`);
    assert.equal(
      xhigh.message,
      "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.",
    );
  });

  test('recorded 404 not_found_error about the model → model_not_found', () => {
    for (const rel of [
      `${PA}/test_model_name_suggestion[anthropic].yaml`,
      `${PA}/test_anthropic_count_tokens_error.yaml`,
    ]) {
      const e = error(rel);
      assert.equal(e.status, 404);
      assert.equal(e.code, 'model_not_found');
      assert.equal(openAIErrorFields(e).code, 'model_not_found');
    }
    assert.equal(
      anthropicAdapter.parseError(
        404,
        '{"type":"error","error":{"type":"not_found_error","message":"Not found"}}',
        {},
        target,
      ).code,
      'not_found',
    );
  });

  const body = (type: string, message: string) =>
    JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011x' });

  test("401 authentication_error → 502 upstream_auth_failed naming the provider (llmux's key, not the client's)", () => {
    const e = anthropicAdapter.parseError(
      401,
      body('authentication_error', 'invalid x-api-key sk-ant-test-key-123456'),
      {},
      target,
    );
    assert.equal(e.status, 502);
    assert.equal(e.code, 'upstream_auth_failed');
    assert.equal(e.upstreamStatus, 401);
    assert.equal(e.retryable, true, 'another deployment may have a good key');
    assert.equal(openAIErrorFields(e).code, 'upstream_auth_failed');
    assert.equal(openAIErrorFields(e).type, 'upstream_error');
    assert.ok(e.message.includes(`"${target.providerName}"`), `the message names the provider: ${e.message}`);
    assert.ok(!e.message.includes('sk-ant-test-key-123456'), "!e.message.includes('sk-ant-test-key-123456')");
  });

  test('429 rate_limit_error keeps retry-after', () => {
    const message = "This request would exceed your account's rate limit. Please try again later.";
    const e = anthropicAdapter.parseError(429, body('rate_limit_error', message), { 'retry-after': '17' }, target);
    assert.equal(e.status, 429);
    assert.equal(e.code, 'rate_limit_exceeded');
    assert.equal(e.retryAfterMs, 17_000);
    assert.equal(e.retryable, true);
    assert.equal(e.message, message);
  });

  test('529 overloaded_error keeps 529 and is retryable; 500 api_error', () => {
    const e = anthropicAdapter.parseError(529, body('overloaded_error', 'Overloaded'), {}, target);
    assert.equal(e.status, 529);
    assert.equal(e.code, 'overloaded');
    assert.equal(openAIErrorFields(e).code, 'overloaded_error');
    assert.equal(e.retryable, true);
    assert.equal(anthropicAdapter.parseError(500, body('api_error', 'Internal server error'), {}, target).status, 500);
  });

  test('"prompt is too long" → context_length_exceeded', () => {
    const e = anthropicAdapter.parseError(
      400,
      body('invalid_request_error', 'prompt is too long: 215000 tokens > 200000 maximum'),
      {},
      target,
    );
    assert.equal(e.code, 'context_length_exceeded');
    assert.equal(openAIErrorFields(e).code, 'context_length_exceeded');
    assert.equal(e.param, 'messages');
    assert.equal(e.status, 400);
  });

  test('403, 402, 413 and non-JSON bodies', () => {
    assert.equal(
      openAIErrorFields(anthropicAdapter.parseError(403, body('permission_error', 'no'), {}, target)).code,
      'upstream_auth_failed',
    );
    assert.equal(
      openAIErrorFields(anthropicAdapter.parseError(402, body('billing_error', 'pay'), {}, target)).type,
      'insufficient_quota',
    );
    assert.equal(
      anthropicAdapter.parseError(413, body('request_too_large', 'big'), {}, target).code,
      'payload_too_large',
    );
    const html = anthropicAdapter.parseError(502, '<html>Bad gateway</html>', {}, target);
    assert.equal(html.status, 502);
    assert.equal(html.message, '<html>Bad gateway</html>');
    assert.equal(html.retryable, true);
    assert.equal(anthropicAdapter.parseError(503, '', {}, target).message, 'upstream answered HTTP 503');
  });
});
