/**
 * End to end: the official `openai` SDK → llmux → a local Anthropic simulator serving recorded
 * Anthropic Messages traffic (test/fixtures/anthropic). Checks what the SDK sees and what
 * llmux sent upstream.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { startAnthropicLlmux } from '../support/anthropic-llmux.ts';
import { anthropicJsonStep, anthropicSseStep } from '../support/anthropic-replay.ts';
import { readFixtureJson } from '../support/fixtures.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { collectChunks, contentOf } from '../support/sdk-helpers.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const VA = 'anthropic/vercel-ai';
const PA = 'anthropic/pydantic-ai';

function record(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

describe('openai SDK → llmux → Anthropic', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  before(async () => {
    ({ sim, llmux, client } = await startAnthropicLlmux(`
  - name: claude
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: claude-4
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-0 }]
  - name: claude-lenient
    retry: { attempts: 1 }
    deployments:
      - provider: claude
        model: claude-sonnet-4-5
        capabilities: { dropUnsupported: true }
        bodyOverrides: { metadata: { user_id: ops-team } }
`));
  });

  afterEach(() => {
    assert.equal(sim.pendingSteps(), 0, 'every scripted upstream step was used');
    sim.reset();
  });

  after(async () => {
    await llmux.close();
    await sim.close();
  });

  const upstream = (index = -1): JsonRecord => record(sim.requests.at(index)?.json, 'upstream body');

  it('plain text, non-streaming: recorded answer, usage, and the upstream request', async () => {
    sim.enqueue(anthropicJsonStep(`${VA}/anthropic-text.json`));
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be nice.' },
          { role: 'user', content: 'Hello, how are you?' },
        ],
      })
      .withResponse();
    assert.equal(data.id, 'msg_01VdEjxAP5ahtHKrrRdNBteQ');
    assert.equal(data.object, 'chat.completion');
    assert.equal(
      data.choices[0]?.message.content,
      "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
    );
    assert.equal(data.choices[0]?.finish_reason, 'stop');
    assert.equal(data.usage?.prompt_tokens, 12);
    assert.equal(data.usage?.completion_tokens, 29);
    assert.equal(response.headers.get('x-llmux-provider'), 'claude');
    assert.equal(response.headers.get('x-llmux-warnings'), null);
    const sent = sim.requests[0];
    assert.equal(sent?.path, '/v1/messages');
    assert.equal(sent?.headers['x-api-key'], 'test-anthropic-key');
    assert.equal(sent?.headers['anthropic-version'], '2023-06-01');
    assert.equal(sent?.headers.authorization, undefined);
    assert.deepEqual(upstream(), {
      model: 'claude-sonnet-4-5',
      max_tokens: 64000,
      system: [{ type: 'text', text: 'Be nice.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, how are you?' }] }],
    });
  });

  it('plain text, streaming (7-byte network writes): content, finish, usage chunk', async () => {
    sim.enqueue(anthropicSseStep(`${VA}/anthropic-text.chunks.txt`, { chunkBytes: 7 }));
    const stream = await client.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collectChunks(stream);
    assert.equal(
      contentOf(chunks),
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    );
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason, 'stop');
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.equal(last?.usage?.prompt_tokens, 12);
    assert.equal(last?.usage?.completion_tokens, 30);
    assert.equal(upstream().stream, true);
  });

  it('json_schema: native output_config.format on Claude 4.5', async () => {
    sim.enqueue(anthropicJsonStep(`${VA}/anthropic-json-output-format.1.json`));
    const schema = {
      type: 'object',
      properties: { recipe: { type: 'object' } },
      required: ['recipe'],
      additionalProperties: false,
    };
    const data = await client.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'A lasagna recipe.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'recipe', schema, strict: true } },
    });
    assert.equal(JSON.parse(data.choices[0]?.message.content ?? '').recipe.name, 'Classic Lasagna');
    // Claude's structured outputs want additionalProperties: false on every object (strict-schema.ts).
    const sent = { ...schema, properties: { recipe: { type: 'object', additionalProperties: false } } };
    assert.deepEqual(upstream().output_config, { format: { type: 'json_schema', schema: sent } });
  });

  it('json_schema on an older model: forced JSON tool, its input returned as content with finish stop', async () => {
    const body = record(readFixtureJson(`${VA}/anthropic-json-tool.1.json`), 'json tool body');
    const content = (body.content as JsonRecord[]).map((block) => ({ ...block, name: 'llmux_json_response' }));
    sim.enqueue({ kind: 'json', status: 200, body: { ...body, content } });
    const data = await client.chat.completions.create({
      model: 'claude-4',
      messages: [{ role: 'user', content: 'Weather in four cities as JSON.' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'weather', schema: { type: 'object', properties: { elements: { type: 'array' } } } },
      },
    });
    const choice = data.choices[0];
    assert.equal(choice?.finish_reason, 'stop');
    assert.equal(choice?.message.tool_calls, undefined);
    assert.equal(JSON.parse(choice?.message.content ?? '').elements.length, 4);
    assert.deepEqual(upstream().tool_choice, { type: 'tool', name: 'llmux_json_response' });
  });

  it('images: data URL → base64 source, https URL → url source', async () => {
    sim.enqueue(anthropicJsonStep(`${PA}/test_image_url_input.yaml`));
    const url = 'https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg';
    const data = await client.chat.completions.create({
      model: 'claude',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this vegetable?' },
            { type: 'image_url', image_url: { url } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    assert.match(data.choices[0]?.message.content ?? '', /^This is a potato/);
    const turn = record((upstream().messages as unknown[])[0], 'user turn');
    assert.deepEqual((turn.content as unknown[]).slice(1), [
      { type: 'image', source: { type: 'url', url } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
  });

  it('adjustments are listed in x-llmux-warnings; deployment bodyOverrides win over the client', async () => {
    sim.enqueue(anthropicJsonStep(`${VA}/anthropic-text.json`));
    const { response } = await client.chat.completions
      .create({
        model: 'claude-lenient',
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 1.7,
        logprobs: true,
        seed: 3,
        user: 'client-user',
      })
      .withResponse();
    const warnings = response.headers.get('x-llmux-warnings') ?? '';
    assert.match(warnings, /temperature clamped from 1\.7 to 1/);
    assert.match(warnings, /logprobs dropped/);
    assert.match(warnings, /seed dropped/);
    const sent = upstream();
    assert.equal(sent.temperature, 1);
    assert.deepEqual(sent.metadata, { user_id: 'ops-team' });
    assert.equal(sent.seed, undefined);
  });

  it('n=2: two upstream requests merged into one answer with two choices', async () => {
    sim.enqueue(anthropicJsonStep(`${VA}/anthropic-text.json`), anthropicJsonStep(`${PA}/test_image_url_input.yaml`));
    const data = await client.chat.completions.create({
      model: 'claude',
      n: 2,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(data.choices.length, 2);
    assert.deepEqual(
      data.choices.map((choice) => choice.index),
      [0, 1],
    );
    assert.equal(sim.requests.length, 2);
    assert.ok(
      sim.requests.every((request) => !('n' in record(request.json, 'body'))),
      "sim.requests.every((request) => !('n' in record(request.json, 'b...",
    );
    assert.equal(data.usage?.prompt_tokens, 12 + 296);
  });
});
