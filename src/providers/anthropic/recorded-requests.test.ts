/**
 * The OpenAI request a client would send for each recorded pydantic-ai exchange, through the OpenAI
 * surface's canonical conversion and this adapter, must produce the Anthropic body that was
 * recorded against the real API (fields the recording client added on its own are noted).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadCassette } from '../../../test/support/fixtures.ts';
import { checkAgainstSpec } from '../../../test/support/providers/anthropic/spec-check.ts';
import { testTarget } from '../../../test/support/providers/anthropic/test-helpers.ts';
import { isRecord } from '../../lib/json.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import { fromOpenAIChatRequest } from '../../surfaces/openai-chat/to-canonical.ts';
import { anthropicAdapter } from './index.ts';

const PA = 'anthropic/pydantic-ai';

function recordedBody(rel: string, index: number): Record<string, unknown> {
  const body = loadCassette(rel).interactions[index]?.request.body;
  if (!isRecord(body)) throw new Error(`${rel}[${index}]: no recorded JSON body`);
  return body;
}

/** pydantic-ai always sends `is_error: false` on tool results; llmux omits the default. */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    if (!(key === 'is_error' && item === false)) out[key] = withoutDefaults(item);
  return out;
}

/** The recorded body minus `stream: false`, which llmux leaves out (false is the default). */
function nonStreaming(recorded: Record<string, unknown>): Record<string, unknown> {
  const { stream, ...rest } = recorded;
  assert.equal(stream, false);
  return rest;
}

function translate(openai: OpenAIChatRequest, model: string): Record<string, unknown> {
  const built = anthropicAdapter.buildRequest(fromOpenAIChatRequest(openai), testTarget(model));
  const body = JSON.parse(String(built.request.body)) as Record<string, unknown>;
  assert.deepEqual(checkAgainstSpec(body), []);
  return body;
}

describe('recorded Anthropic requests reproduced from OpenAI requests', () => {
  test('tool use with thinking: second request replays the signed thinking block before tool_use', () => {
    const rel = `${PA}/test_anthropic_tool_with_thinking.yaml`;
    const recorded = recordedBody(rel, 1);
    const first = loadCassette(rel).interactions[0]?.response.body.toString('utf8') ?? '';
    const answer = anthropicAdapter.parseResponse(JSON.parse(first), testTarget('claude-sonnet-4-0')).choices[0];
    assert.ok(answer, 'answer');
    const thinking = answer.reasoning[0];
    const toolCall = answer.toolCalls[0];
    assert.ok(thinking?.signature && toolCall, 'thinking?.signature && toolCall');
    const openai: OpenAIChatRequest = {
      model: 'claude',
      max_tokens: 4096,
      messages: [
        { role: 'user', content: 'What is the largest city in the user country?' },
        {
          role: 'assistant',
          content: answer.text,
          reasoning_details: [{ type: 'reasoning.text', text: thinking.text, signature: thinking.signature }],
          tool_calls: [
            { id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: toolCall.arguments } },
          ],
        },
        { role: 'tool', tool_call_id: toolCall.id, content: 'Mexico' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_user_country',
            description: '',
            parameters: { additionalProperties: false, properties: {}, type: 'object' },
          },
        },
      ],
      tool_choice: 'auto',
      provider_options: { anthropic: { thinking: { type: 'enabled', budget_tokens: 3000 } } },
    };
    const body = translate(openai, 'claude-sonnet-4-0');
    assert.deepEqual(body.messages, withoutDefaults(recorded.messages));
    assert.deepEqual(body.thinking, recorded.thinking);
    assert.deepEqual(body.tool_choice, recorded.tool_choice);
    assert.equal(body.max_tokens, recorded.max_tokens);
    // pydantic-ai sends an empty description; llmux omits it (same meaning).
    assert.deepEqual(body.tools, [
      { name: 'get_user_country', input_schema: { additionalProperties: false, properties: {}, type: 'object' } },
    ]);
  });

  test('parallel tool calls: system prompt, four tool_use blocks, four tool_result blocks in one user turn', () => {
    const rel = `${PA}/test_multiple_parallel_tool_calls.yaml`;
    const recorded = recordedBody(rel, 1);
    const first = JSON.parse(loadCassette(rel).interactions[0]?.response.body.toString('utf8') ?? '');
    const answer = anthropicAdapter.parseResponse(first, testTarget('claude-haiku-4-5')).choices[0];
    assert.ok(answer, 'answer');
    const results = [
      "alice is bob's wife",
      "bob is alice's husband",
      "charlie is alice's son",
      "daisy is bob's daughter and charlie's younger sister",
    ];
    const openai: OpenAIChatRequest = {
      model: 'claude',
      max_tokens: 4096,
      messages: [
        { role: 'system', content: String(recorded.system) },
        { role: 'user', content: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?' },
        {
          role: 'assistant',
          content: answer.text,
          tool_calls: answer.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        },
        ...answer.toolCalls.map((call, i) => ({
          role: 'tool' as const,
          tool_call_id: call.id,
          content: results[i] ?? '',
        })),
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'retrieve_entity_info',
            description: 'Get the knowledge about the given entity.',
            parameters: {
              additionalProperties: false,
              properties: { name: { type: 'string' } },
              required: ['name'],
              type: 'object',
            },
          },
        },
      ],
      tool_choice: 'auto',
    };
    const body = translate(openai, 'claude-haiku-4-5');
    assert.deepEqual(body.messages, withoutDefaults(recorded.messages));
    assert.deepEqual(body.system, [{ type: 'text', text: recorded.system }]);
    assert.deepEqual(body.tools, recorded.tools);
    assert.deepEqual(body.tool_choice, recorded.tool_choice);
  });

  test('image URL input → image block with a url source', () => {
    const recorded = recordedBody(`${PA}/test_image_url_input.yaml`, 0);
    const url = 'https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg';
    const body = translate(
      {
        model: 'claude',
        max_tokens: 4096,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this vegetable?' },
              { type: 'image_url', image_url: { url } },
            ],
          },
        ],
      },
      'claude-haiku-4-5',
    );
    assert.deepEqual(body, nonStreaming(recorded));
  });

  test('sampling settings reach the wire: temperature and top_k', () => {
    const recorded = recordedBody(`${PA}/test_anthropic_sampling_settings_reach_the_wire.yaml`, 0);
    const body = translate(
      {
        model: 'claude',
        max_tokens: 4096,
        temperature: 0.2,
        top_k: 40,
        messages: [{ role: 'user', content: 'hello' }],
      },
      'claude-haiku-4-5',
    );
    assert.deepEqual(body, nonStreaming(recorded));
  });

  test('thinking stream request: reasoning_effort minimal → budget 1024, stream true', () => {
    for (const rel of [
      `${PA}/test_anthropic_model_thinking_part_stream.yaml`,
      `${PA}/test_anthropic_model_thinking_part_redacted_stream.yaml`,
    ]) {
      const recorded = recordedBody(rel, 0);
      const text = ((recorded.messages as Array<{ content: Array<{ text: string }> }>)[0]?.content[0]?.text ??
        '') as string;
      const body = translate(
        {
          model: 'claude',
          max_tokens: 4096,
          stream: true,
          reasoning_effort: 'minimal',
          messages: [{ role: 'user', content: text }],
        },
        String(recorded.model),
      );
      assert.deepEqual(body, recorded);
    }
  });

  test('high max_tokens stream request', () => {
    const recorded = recordedBody(`${PA}/test_request_stream_fallback_for_high_max_tokens.yaml`, 0);
    const body = translate(
      {
        model: 'claude',
        stream: true,
        max_tokens: 32000,
        messages: [{ role: 'user', content: 'What is 1+1? Answer with just the number.' }],
      },
      'claude-sonnet-4-5',
    );
    assert.deepEqual(body, recorded);
  });

  test('automatic prompt caching: top-level cache_control passed through provider options', () => {
    const recorded = recordedBody(`${PA}/test_anthropic_cache_real_api.yaml`, 0);
    const userText = (recorded.messages as Array<{ content: Array<{ text: string }> }>)[0]?.content[0]?.text ?? '';
    const body = translate(
      {
        model: 'claude',
        max_tokens: 4096,
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: userText },
        ],
        provider_options: { anthropic: { cache_control: { type: 'ephemeral', ttl: '5m' } } },
      },
      'claude-sonnet-4-5',
    );
    // pydantic-ai sends the system prompt as a string; llmux always sends text blocks (same meaning).
    assert.deepEqual(body, { ...nonStreaming(recorded), system: [{ type: 'text', text: recorded.system }] });
  });
});
