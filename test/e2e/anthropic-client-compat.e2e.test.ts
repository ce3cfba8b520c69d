/**
 * What real OpenAI clients send to Claude (issue 8, items 1-3), end to end: the `openai` SDK →
 * llmux → the Anthropic simulator.
 * - Zod schemas (integer bounds, string lengths, minItems) reach structured outputs and strict
 *   tools without the keywords Claude rejects; the constraints move into descriptions, with a warning.
 * - A tool loop with reasoning_effort whose client drops the reasoning goes on without thinking.
 * - Streamed reasoning rebuilt from `reasoning_details` deltas goes back byte for byte.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startAnthropicLlmux } from '../support/anthropic-llmux.ts';
import { anthropicJsonStep, anthropicSseStep } from '../support/anthropic-replay.ts';
import { anthropicAnswer } from '../support/anthropic-steps.ts';
import { loadRawSse } from '../support/fixtures.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { collectChunks, deltas } from '../support/sdk-helpers.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

type Message = OpenAI.Chat.ChatCompletionMessageParam;
type ReasoningDetail = { type: string; text?: string; signature?: string; index?: number };
type ReasoningDelta = { reasoning_content?: string; reasoning_details?: ReasoningDetail[] };

const TOOL_THINKING = 'anthropic/pydantic-ai/test_anthropic_tool_with_thinking.yaml';
const THINKING_STREAM = 'anthropic/pydantic-ai/test_anthropic_model_thinking_part_stream.yaml';
const THINKING_STREAM_SSE = 'derived-sse/anthropic__test_anthropic_model_thinking_part_stream.interaction0.sse';
const REJECTED_BY_CLAUDE = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'maxItems',
  '$schema',
];

function record(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

/** Every `key` used as a keyword anywhere in a schema (property names under `properties` excluded). */
function keywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keywords(item, found);
  else if (isRecord(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && isRecord(value)) {
        for (const child of Object.values(value)) keywords(child, found);
        continue;
      }
      found.add(key === 'minItems' && (value === 0 || value === 1) ? 'minItems(0|1)' : key);
      keywords(value, found);
    }
  }
  return found;
}

/** The thinking text and signature of the recorded stream, read from its SSE events. */
function recordedThinking(): { thinking: string; signature: string } {
  let thinking = '';
  let signature = '';
  for (const line of loadRawSse(THINKING_STREAM_SSE).toString('utf8').split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice(6));
    if (event.type !== 'content_block_delta' || event.index !== 0) continue;
    if (event.delta.type === 'thinking_delta') thinking += event.delta.thinking;
    if (event.delta.type === 'signature_delta') signature += event.delta.signature;
  }
  assert.ok(thinking !== '' && signature !== '', 'the recording has a signed thinking block');
  return { thinking, signature };
}

/** What OpenRouter's AI SDK provider does: consecutive reasoning.text deltas merged, the signature kept. */
function rebuildReasoningDetails(chunks: OpenAI.Chat.ChatCompletionChunk[]): ReasoningDetail[] {
  const details: ReasoningDetail[] = [];
  for (const delta of deltas(chunks) as ReasoningDelta[]) {
    for (const detail of delta.reasoning_details ?? []) {
      const last = details.at(-1);
      if (detail.type === 'reasoning.text' && last?.type === 'reasoning.text' && last.index === detail.index) {
        last.text = (last.text ?? '') + (detail.text ?? '');
        const signature = last.signature ?? detail.signature;
        if (signature !== undefined) last.signature = signature;
      } else details.push({ ...detail });
    }
  }
  return details;
}

describe('openai SDK → llmux → Anthropic: what real clients send', () => {
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

  const Pet = z.object({
    name: z.string().min(2).max(40),
    age: z.number().int(),
    weight: z.number().positive(),
    tags: z.array(z.string()).min(2).max(5),
  });

  it('zod response_format: unsupported keywords leave the schema, their values go into descriptions', async () => {
    sim.enqueue(anthropicAnswer('{"name":"Rex","age":3,"weight":12.5,"tags":["dog","good"]}'));
    const { data, response } = await client.chat.completions
      .parse({
        model: 'claude',
        messages: [{ role: 'user', content: 'Describe a pet.' }],
        response_format: zodResponseFormat(Pet, 'pet'),
      })
      .withResponse();
    assert.deepEqual(data.choices[0]?.message.parsed, { name: 'Rex', age: 3, weight: 12.5, tags: ['dog', 'good'] });
    const format = record(record(upstream().output_config, 'output_config').format, 'format');
    const schema = record(format.schema, 'schema');
    const used = keywords(schema);
    for (const keyword of REJECTED_BY_CLAUDE) assert.ok(!used.has(keyword), `'${keyword}' is not sent to Claude`);
    assert.ok(!used.has('minItems'), 'minItems 2 is not sent to Claude');
    const properties = record(schema.properties, 'properties');
    const age = record(properties.age, 'age');
    assert.equal(age.type, 'integer', 'the type stays');
    assert.match(String(age.description), /minimum: -9007199254740991/, 'age bounds in its description');
    assert.match(String(record(properties.name, 'name').description), /minLength: 2, maxLength: 40/);
    assert.match(String(record(properties.weight, 'weight').description), /exclusiveMinimum: 0/);
    assert.match(String(record(properties.tags, 'tags').description), /minItems: 2, maxItems: 5/);
    assert.deepEqual(schema.required, ['name', 'age', 'weight', 'tags'], 'everything else is kept');
    const warnings = response.headers.get('x-llmux-warnings') ?? '';
    assert.match(
      warnings,
      /^response_format\.json_schema\.schema: .*'minimum' at properties\.age.* moved into descriptions/,
    );
  });

  it('strict zod tool: its input_schema is cut the same way', async () => {
    sim.enqueue(anthropicAnswer('Nothing to call.'));
    const { response } = await client.chat.completions
      .create({
        model: 'claude',
        messages: [{ role: 'user', content: 'Register a pet.' }],
        tools: [zodFunction({ name: 'register_pet', parameters: Pet })],
      })
      .withResponse();
    const tool = record((upstream().tools as unknown[])[0], 'tool');
    assert.equal(tool.strict, true, 'the tool stays strict');
    const used = keywords(tool.input_schema);
    for (const keyword of REJECTED_BY_CLAUDE) assert.ok(!used.has(keyword), `'${keyword}' is not sent to Claude`);
    const age = record(record(record(tool.input_schema, 'input_schema').properties, 'properties').age, 'age');
    assert.match(String(age.description), /maximum: 9007199254740991/, 'age bounds in its description');
    assert.match(
      response.headers.get('x-llmux-warnings') ?? '',
      /tools\[0\]\.function\.parameters: .*'maximum' at properties\.age/,
    );
  });

  const tools: OpenAI.Chat.ChatCompletionTool[] = [
    {
      type: 'function',
      function: { name: 'get_user_country', parameters: { type: 'object', properties: {} } },
    },
  ];
  const question: Message = { role: 'user', content: 'What is the largest city in the user country?' };

  async function firstToolStep(): Promise<OpenAI.Chat.ChatCompletionMessage & ReasoningDelta> {
    const first = await client.chat.completions.create({
      model: 'claude-4',
      messages: [question],
      tools,
      reasoning_effort: 'low',
    });
    assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(upstream(0).thinking, { type: 'enabled', budget_tokens: 2048 }, 'step 1 thinks');
    const message = first.choices[0]?.message;
    assert.ok(message, 'step 1 answered');
    return message;
  }

  it('thinking + tools, reasoning not sent back (AI SDK, LangChain): step 2 goes without thinking, with a warning', async () => {
    sim.enqueue(anthropicJsonStep(TOOL_THINKING, { index: 0 }), anthropicJsonStep(TOOL_THINKING, { index: 1 }));
    const answer = await firstToolStep();
    const calls = answer.tool_calls ?? [];
    const call = calls[0];
    assert.ok(call, 'a tool call');
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude-4',
        messages: [
          question,
          { role: 'assistant', content: null, tool_calls: calls },
          { role: 'tool', tool_call_id: call.id, content: 'Mexico' },
        ],
        tools,
        reasoning_effort: 'low',
      })
      .withResponse();
    assert.match(data.choices[0]?.message.content ?? '', /Mexico City/);
    assert.equal(upstream(1).thinking, undefined, 'step 2 is sent without thinking');
    assert.match(response.headers.get('x-llmux-warnings') ?? '', /thinking disabled for this request/);
  });

  it('thinking + tools, signed reasoning sent back: thinking stays on, no warning', async () => {
    sim.enqueue(anthropicJsonStep(TOOL_THINKING, { index: 0 }), anthropicJsonStep(TOOL_THINKING, { index: 1 }));
    const answer = await firstToolStep();
    const call = answer.tool_calls?.[0];
    assert.ok(call, 'a tool call');
    const { response } = await client.chat.completions
      .create({
        model: 'claude-4',
        messages: [question, answer as Message, { role: 'tool', tool_call_id: call.id, content: 'Mexico' }],
        tools,
        reasoning_effort: 'low',
      })
      .withResponse();
    assert.deepEqual(upstream(1).thinking, { type: 'enabled', budget_tokens: 2048 }, 'step 2 thinks');
    assert.doesNotMatch(response.headers.get('x-llmux-warnings') ?? '', /thinking disabled/);
  });

  async function streamThinking(): Promise<OpenAI.Chat.ChatCompletionChunk[]> {
    const stream = await client.chat.completions.create({
      model: 'claude-4',
      messages: [{ role: 'user', content: 'How do I cross the street?' }],
      reasoning_effort: 'minimal',
      stream: true,
    });
    return collectChunks(stream);
  }

  async function sendBack(assistant: Record<string, unknown>): Promise<JsonRecord> {
    await client.chat.completions.create({
      model: 'claude-4',
      reasoning_effort: 'minimal',
      messages: [
        { role: 'user', content: 'How do I cross the street?' },
        { role: 'assistant', content: 'Look both ways.', ...assistant } as Message,
        { role: 'user', content: 'Thanks!' },
      ],
    });
    const turn = record((upstream(1).messages as unknown[])[1], 'assistant turn');
    return record((turn.content as unknown[])[0], 'first block');
  }

  it('streamed reasoning_details rebuilt per index (OpenRouter) go back as the exact signed block', async () => {
    sim.enqueue(anthropicSseStep(THINKING_STREAM, { index: 0 }), anthropicAnswer('You are welcome.'));
    const expected = recordedThinking();
    const details = rebuildReasoningDetails(await streamThinking());
    assert.deepEqual(details, [
      { type: 'reasoning.text', text: expected.thinking, signature: expected.signature, index: 0 },
    ]);
    const block = await sendBack({ reasoning_details: details });
    assert.deepEqual(block, { type: 'thinking', thinking: expected.thinking, signature: expected.signature });
  });

  it('a signed detail with empty text plus reasoning_content is accepted too', async () => {
    sim.enqueue(anthropicSseStep(THINKING_STREAM, { index: 0 }), anthropicAnswer('You are welcome.'));
    const expected = recordedThinking();
    const reasoning = (deltas(await streamThinking()) as ReasoningDelta[])
      .map((delta) => delta.reasoning_content ?? '')
      .join('');
    assert.equal(reasoning, expected.thinking, 'reasoning_content streams the whole thinking text');
    const block = await sendBack({
      reasoning_content: reasoning,
      reasoning_details: [{ type: 'reasoning.text', text: '', signature: expected.signature }],
    });
    assert.deepEqual(block, { type: 'thinking', thinking: expected.thinking, signature: expected.signature });
  });

  it('the streamed entries sent back as they came (not merged) are merged by index', async () => {
    sim.enqueue(anthropicSseStep(THINKING_STREAM, { index: 0 }), anthropicAnswer('You are welcome.'));
    const expected = recordedThinking();
    const raw = (deltas(await streamThinking()) as ReasoningDelta[]).flatMap((delta) => delta.reasoning_details ?? []);
    assert.ok(raw.length > 2, 'several streamed entries');
    const block = await sendBack({ reasoning_details: raw });
    assert.deepEqual(block, { type: 'thinking', thinking: expected.thinking, signature: expected.signature });
  });
});
