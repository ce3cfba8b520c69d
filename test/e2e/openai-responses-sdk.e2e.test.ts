/**
 * The `openai` SDK's Responses API (`responses.create`, `responses.stream`) through llmux to an
 * OpenAI-compatible deployment and to an Anthropic one, both translated: text, a function call
 * streamed with its events, the follow-up turn with the function_call_output, reasoning carried
 * between turns in `encrypted_content`, and the refusals (a `previous_response_id` llmux does not know).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import {
  anthropicBlockStart,
  anthropicDelta,
  anthropicErrorEvent,
  anthropicMessageStart,
  anthropicStream,
} from '../support/anthropic-steps.ts';
import { asRecord, type JsonRecord } from '../support/json-guards.ts';
import { openAIAnswer, openAIChunk, openAIStreamFrames, openAIUsageChunk } from '../support/openai-steps.ts';
import {
  anthropicThinkingToolUse,
  type ResponsesSurfaceSetup,
  responsesEvents,
  startResponsesSurface,
} from '../support/responses-surface.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

function toolCallFrames(): string[] {
  const call = (fn: Record<string, string>, extra: Record<string, string> = {}) => ({
    tool_calls: [{ index: 0, ...extra, function: fn }],
  });
  return [
    openAIChunk({
      role: 'assistant',
      ...call({ name: 'get_weather', arguments: '' }, { id: 'call_1', type: 'function' }),
    }),
    openAIChunk(call({ arguments: '{"city":' })),
    openAIChunk(call({ arguments: '"Paris"}' })),
    openAIChunk({}, 'tool_calls'),
    openAIUsageChunk({ prompt_tokens: 40, completion_tokens: 12 }),
    'data: [DONE]\n\n',
  ];
}

/** A response's output items sent back as input, as clients do (the SDK types them apart). */
const asInput = (output: readonly unknown[]): OpenAI.Responses.ResponseInputItem[] =>
  output as OpenAI.Responses.ResponseInputItem[];

const upstreamBody = (sim: Simulator, index = -1): JsonRecord =>
  asRecord(sim.requests.at(index)?.json, 'upstream body');

describe('openai SDK Responses API through llmux', () => {
  let setup: ResponsesSurfaceSetup;
  let client: OpenAI;

  before(async () => {
    setup = await startResponsesSurface();
    client = setup.gateway.client;
  });
  after(() => setup.close());
  afterEach(() => {
    assert.equal(setup.local.pendingSteps(), 0, 'every scripted OpenAI-compatible step was used');
    assert.equal(setup.claude.pendingSteps(), 0, 'every scripted Anthropic step was used');
    setup.local.reset();
    setup.claude.reset();
  });

  it('responses.create → OpenAI-compatible: a completed response with output_text and usage', async () => {
    setup.local.enqueue(openAIAnswer('Hello there', { prompt_tokens: 21, completion_tokens: 3 }));
    const response = await client.responses.create({
      model: 'local-model',
      instructions: 'Be brief.',
      input: 'Hi',
      max_output_tokens: 200,
      temperature: 0.5,
      metadata: { team: 'a' },
    });
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, 'local-model', 'the model asked for');
    assert.equal(response.output_text, 'Hello there');
    assert.equal(response.usage?.input_tokens, 21);
    assert.equal(response.usage?.output_tokens, 3);
    assert.equal(response.usage?.total_tokens, 24);
    const upstream = upstreamBody(setup.local);
    assert.equal(upstream.model, 'qwen-local');
    assert.deepEqual(upstream.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    assert.equal(upstream.max_completion_tokens, 200);
    assert.equal(upstream.temperature, 0.5);
  });

  it('responses.stream → OpenAI-compatible: text events in order, the final response', async () => {
    setup.local.enqueue({
      kind: 'sse-events',
      events: openAIStreamFrames(['Hel', 'lo'], { prompt_tokens: 9, completion_tokens: 2 }),
    });
    const stream = client.responses.stream({ model: 'local-model', input: 'Say hello' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const response = await stream.finalResponse();
    assert.equal(response.output_text, 'Hello');
    assert.equal(response.usage?.input_tokens, 9);
    assert.deepEqual(
      types.filter((type, i) => types[i - 1] !== type),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
  });

  it('responses.stream with a function call, then the second turn with its output', async () => {
    setup.local.enqueue({ kind: 'sse-events', events: toolCallFrames() });
    const stream = client.responses.stream({
      model: 'local-model',
      input: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const first = await stream.finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call', 'a function_call item');
    assert.equal(call.call_id, 'call_1');
    assert.equal(call.name, 'get_weather');
    assert.equal(call.arguments, '{"city":"Paris"}');
    assert.ok(types.includes('response.function_call_arguments.done'), 'arguments done event');
    assert.ok(types.includes('response.output_item.done'), 'output_item.done (Codex runs calls from it)');
    const upstream = upstreamBody(setup.local);
    assert.equal(upstream.tool_choice, 'required');
    assert.equal(upstream.parallel_tool_calls, false);
    assert.deepEqual(asRecord((upstream.tools as unknown[])[0], 'tool').function, {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: WEATHER_TOOL.parameters,
      strict: false,
    });

    setup.local.enqueue(openAIAnswer('It is sunny in Paris.'));
    const second = await client.responses.create({
      model: 'local-model',
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        ...asInput(first.output),
        { type: 'function_call_output', call_id: 'call_1', output: '{"sky":"clear"}' },
      ],
      tools: [WEATHER_TOOL],
    });
    assert.equal(second.output_text, 'It is sunny in Paris.');
    const messages = upstreamBody(setup.local).messages as JsonRecord[];
    assert.deepEqual(
      messages.map((m) => m.role),
      ['user', 'assistant', 'tool'],
    );
    assert.deepEqual(messages[1]?.tool_calls, [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    assert.deepEqual(messages[2], { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"clear"}' });
  });

  it('responses.stream → Anthropic: text', async () => {
    setup.claude.enqueue(anthropicStream('Bonjour'));
    const stream = client.responses.stream({ model: 'claude-model', input: 'Say hello in French' });
    const response = await stream.finalResponse();
    assert.equal(response.output_text, 'Bonjour');
    const upstream = upstreamBody(setup.claude);
    assert.equal(upstream.model, 'claude-sonnet-4-5');
    assert.deepEqual(upstream.messages, [{ role: 'user', content: [{ type: 'text', text: 'Say hello in French' }] }]);
  });

  it('→ Anthropic: signed thinking and a tool call; the next turn gives Claude its signature back', async () => {
    setup.claude.enqueue({ kind: 'sse-events', events: anthropicThinkingToolUse('sig-claude-1') });
    const stream = client.responses.stream({
      model: 'claude-model',
      input: 'What is in notes.txt?',
      tools: [{ type: 'function', name: 'exec_command', parameters: { type: 'object' }, strict: false }],
      reasoning: { effort: 'medium', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const first = await stream.finalResponse();
    assert.deepEqual(
      first.output.map((item) => item.type),
      ['reasoning', 'function_call'],
    );
    const reasoning = first.output[0];
    assert.ok(reasoning?.type === 'reasoning', 'a reasoning item');
    assert.deepEqual(reasoning.summary, [{ type: 'summary_text', text: 'I should read the file.' }]);
    assert.ok(reasoning.encrypted_content, 'the signature rides in encrypted_content');

    setup.claude.enqueue(anthropicStream('The secret word is PAPAYA-42.'));
    const second = await client.responses
      .stream({
        model: 'claude-model',
        input: [
          { role: 'user', content: 'What is in notes.txt?' },
          ...asInput(first.output),
          { type: 'function_call_output', call_id: 'toolu_1', output: 'PAPAYA-42' },
        ],
        tools: [{ type: 'function', name: 'exec_command', parameters: { type: 'object' }, strict: false }],
        reasoning: { effort: 'medium', summary: 'auto' },
        include: ['reasoning.encrypted_content'],
        store: false,
      })
      .finalResponse();
    assert.equal(second.output_text, 'The secret word is PAPAYA-42.');
    const messages = upstreamBody(setup.claude).messages as JsonRecord[];
    assert.deepEqual(messages[1], {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should read the file.', signature: 'sig-claude-1' },
        { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: { cmd: 'cat notes.txt' } },
      ],
    });
    const result = asRecord((asRecord(messages[2], 'user turn').content as unknown[])[0], 'tool_result');
    assert.equal(result.type, 'tool_result');
    assert.equal(result.tool_use_id, 'toolu_1');
  });

  it('a failure after the stream started: an error event, then response.failed', async () => {
    setup.claude.enqueue({
      kind: 'sse-events',
      events: [anthropicMessageStart(), anthropicBlockStart, anthropicDelta('Par'), anthropicErrorEvent()],
      delayMs: 30,
    });
    const response = await fetch(`${setup.gateway.llmux.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${setup.gateway.llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-model', input: 'Hi', stream: true }),
    });
    const events = responsesEvents(await response.text());
    assert.equal(response.status, 200, 'the stream had started');
    assert.deepEqual(
      events.slice(-2).map((e) => e.type),
      ['error', 'response.failed'],
    );
    const failed = asRecord(events.at(-1)?.response, 'failed response');
    assert.equal(failed.status, 'failed');
    assert.match(String(asRecord(failed.error, 'error').message), /Overloaded/);
  });

  it('previous_response_id llmux does not know: a 400 previous_response_not_found naming it, nothing sent upstream', async () => {
    await assert.rejects(
      client.responses.create({ model: 'local-model', input: 'Hi', previous_response_id: 'resp_123' }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError, 'a 400');
        assert.equal(error.param, 'previous_response_id');
        assert.equal(error.code, 'previous_response_not_found');
        assert.match(error.message, /Previous response with id 'resp_123' not found/);
        return true;
      },
    );
    assert.equal(setup.local.requests.length, 0, 'no upstream request');
  });
});
