/**
 * End to end, tools and thinking: the official `openai` SDK → llmux → a local Anthropic simulator
 * serving recorded traffic. Multi-turn tool use with thinking (signatures carried back upstream),
 * parallel tool calls streamed and not, tool results merged into one user turn.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { startAnthropicLlmux } from '../support/anthropic-llmux.ts';
import { anthropicJsonStep, anthropicSseStep } from '../support/anthropic-replay.ts';
import { loadCassette } from '../support/fixtures.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { type ChatChunk, collectChunks, contentOf, deltas } from '../support/sdk-helpers.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

type Message = OpenAI.Chat.ChatCompletionMessageParam;
/** llmux's extension fields on assistant messages (Anthropic thinking blocks with signatures). */
type ReasoningDetail = {
  type: 'reasoning.text' | 'reasoning.redacted';
  text?: string;
  signature?: string;
  data?: string;
};

const VA = 'anthropic/vercel-ai';
const PA = 'anthropic/pydantic-ai';
const TOOL_THINKING = `${PA}/test_anthropic_tool_with_thinking.yaml`;
const PARALLEL = `${PA}/test_multiple_parallel_tool_calls.yaml`;

function record(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

/** The recorded request body of a cassette interaction. */
function recordedRequest(rel: string, index: number): JsonRecord {
  return record(loadCassette(rel).interactions[index]?.request.body, `${rel}[${index}] request`);
}

/** pydantic-ai sends `is_error: false` on every tool result; llmux leaves the default out. */
function withoutIsErrorFalse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIsErrorFalse);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, item]) => !(key === 'is_error' && item === false))
      .map(([key, item]) => [key, withoutIsErrorFalse(item)]),
  );
}

describe('openai SDK → llmux → Anthropic: tools and thinking', () => {
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

  it('multi-turn tool use with thinking: the signed thinking block goes back upstream', async () => {
    sim.enqueue(anthropicJsonStep(TOOL_THINKING, { index: 0 }), anthropicJsonStep(TOOL_THINKING, { index: 1 }));
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_user_country',
          parameters: { additionalProperties: false, properties: {}, type: 'object' },
        },
      },
    ];
    const messages: Message[] = [{ role: 'user', content: 'What is the largest city in the user country?' }];
    const first = await client.chat.completions.create({
      model: 'claude-4',
      messages,
      tools,
      tool_choice: 'auto',
      max_tokens: 4096,
      provider_options: { anthropic: { thinking: { type: 'enabled', budget_tokens: 3000 } } },
    } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    const answer = first.choices[0]?.message as OpenAI.Chat.ChatCompletionMessage & {
      reasoning_details?: ReasoningDetail[];
      reasoning_content?: string;
    };
    assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
    assert.match(answer.reasoning_content ?? '', /^The user is asking about the largest city/);
    assert.match(answer.reasoning_details?.[0]?.signature ?? '', /^EqEECkYICxgC/);
    const call = answer.tool_calls?.[0];
    assert.ok(call?.type === 'function', "call?.type === 'function'");
    assert.deepEqual(call.function, { name: 'get_user_country', arguments: '{}' });

    const second = await client.chat.completions.create({
      model: 'claude-4',
      messages: [...messages, answer as Message, { role: 'tool', tool_call_id: call.id, content: 'Mexico' }],
      tools,
      tool_choice: 'auto',
      max_tokens: 4096,
      provider_options: { anthropic: { thinking: { type: 'enabled', budget_tokens: 3000 } } },
    } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    assert.match(second.choices[0]?.message.content ?? '', /Mexico City/);
    const sent = upstream(1);
    const recorded = recordedRequest(TOOL_THINKING, 1);
    assert.deepEqual(sent.messages, withoutIsErrorFalse(recorded.messages));
    assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 3000 });
    const assistantTurn = record((sent.messages as unknown[])[1], 'assistant turn');
    assert.deepEqual((assistantTurn.content as JsonRecord[])[0], {
      type: 'thinking',
      thinking: answer.reasoning_content,
      signature: answer.reasoning_details?.[0]?.signature,
    });
  });

  it('streamed thinking: reasoning and signature reassembled from chunks go back on the next turn', async () => {
    sim.enqueue(
      anthropicSseStep(`${VA}/anthropic-clear-thinking.1.chunks.txt`),
      anthropicJsonStep(`${VA}/anthropic-text.json`),
    );
    const stream = await client.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Divide 925 by 5.' }],
      reasoning_effort: 'low',
      stream: true,
    });
    const chunks = await collectChunks(stream);
    const all = deltas(chunks) as Array<
      ChatChunk['choices'][number]['delta'] & { reasoning_content?: string; reasoning_details?: ReasoningDetail[] }
    >;
    const reasoning = all.map((delta) => delta.reasoning_content ?? '').join('');
    const signature = all
      .flatMap((delta) => delta.reasoning_details ?? [])
      .find((detail) => detail.signature)?.signature;
    assert.equal(reasoning, 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185');
    assert.match(signature ?? '', /^EvQBCkYI/);
    assert.equal(contentOf(chunks), '925 ÷ 5 = 185');
    assert.deepEqual(upstream(0).thinking, { type: 'enabled', budget_tokens: 2048 });

    await client.chat.completions.create({
      model: 'claude',
      reasoning_effort: 'low',
      messages: [
        { role: 'user', content: 'Divide 925 by 5.' },
        {
          role: 'assistant',
          content: contentOf(chunks),
          reasoning_details: [{ type: 'reasoning.text', text: reasoning, signature }],
        } as Message,
        { role: 'user', content: 'Thanks!' },
      ],
    });
    const turn = record((upstream(1).messages as unknown[])[1], 'assistant turn');
    assert.deepEqual(turn.content, [
      { type: 'thinking', thinking: reasoning, signature },
      { type: 'text', text: '925 ÷ 5 = 185' },
    ]);
  });

  it('parallel tool calls, streamed: three calls with OpenAI indexes 0..2', async () => {
    sim.enqueue(anthropicSseStep(`${VA}/anthropic-issue-15652-false.chunks.txt`));
    const stream = await client.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Search alpha, beta and gamma.' }],
      tools: [
        {
          type: 'function',
          function: { name: 'searchDocs', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
        },
      ],
      stream: true,
    });
    const chunks = await collectChunks(stream);
    const calls: Array<{ id: string; name: string; args: string }> = [];
    for (const delta of deltas(chunks)) {
      for (const call of delta.tool_calls ?? []) {
        calls[call.index] ??= { id: '', name: '', args: '' };
        const slot = calls[call.index];
        assert.ok(slot, 'slot');
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name = call.function.name;
        slot.args += call.function?.arguments ?? '';
      }
    }
    assert.deepEqual(
      calls.map((call) => [call.name, JSON.parse(call.args).query]),
      [
        ['searchDocs', 'alpha'],
        ['searchDocs', 'beta'],
        ['searchDocs', 'gamma'],
      ],
    );
    assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason, 'tool_calls');
  });

  it('parallel tool calls, then four tool results merged into one user turn (as recorded)', async () => {
    sim.enqueue(anthropicJsonStep(PARALLEL, { index: 0 }), anthropicJsonStep(PARALLEL, { index: 1 }));
    const recorded = recordedRequest(PARALLEL, 1);
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
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
    ];
    const messages: Message[] = [
      { role: 'system', content: String(recorded.system) },
      { role: 'user', content: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?' },
    ];
    const first = await client.chat.completions.create({
      model: 'claude',
      messages,
      tools,
      tool_choice: 'auto',
      max_tokens: 4096,
    });
    const answer = first.choices[0]?.message;
    assert.equal(answer?.tool_calls?.length, 4);
    const facts = [
      "alice is bob's wife",
      "bob is alice's husband",
      "charlie is alice's son",
      "daisy is bob's daughter and charlie's younger sister",
    ];
    const results: Message[] = (answer?.tool_calls ?? []).map((call, i) => ({
      role: 'tool',
      tool_call_id: call.id,
      content: facts[i] ?? '',
    }));
    const second = await client.chat.completions.create({
      model: 'claude',
      messages: [...messages, answer as Message, ...results],
      tools,
      tool_choice: 'auto',
      max_tokens: 4096,
    });
    assert.match(second.choices[0]?.message.content ?? '', /Daisy is the youngest/);
    assert.deepEqual(upstream(1).messages, withoutIsErrorFalse(recorded.messages));
  });
});
