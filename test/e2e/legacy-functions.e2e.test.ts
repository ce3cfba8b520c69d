/**
 * End to end: the openai SDK with the legacy `functions` / `function_call` (instructor's FUNCTIONS
 * mode, older apps) → llmux → Claude, Gemini and the built-in simulator. The upstream must get
 * tools with a forced tool choice, and the client a `function_call` (message and deltas).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { anthropicEvent, anthropicMessageStart } from '../support/anthropic-steps.ts';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { type ChatChunk, collectChunks, deltas } from '../support/sdk-helpers.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import type { Step } from '../support/upstream-simulator.ts';

const ARGS = { name: 'Ada', age: 36 };
const functions: OpenAI.Chat.ChatCompletionCreateParams.Function[] = [
  {
    name: 'UserDetail',
    description: 'Correctly extracted user details',
    parameters: {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    },
  },
];
const legacyRequest = {
  model: 'x',
  messages: [{ role: 'user' as const, content: 'Ada is 36.' }],
  functions,
  function_call: { name: 'UserDetail' },
};

function record(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

const claudeToolUse: Step = {
  kind: 'json',
  body: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'tool_use', id: 'toolu_1', name: 'UserDetail', input: ARGS }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 10 },
  },
};

const claudeToolUseStream: Step = {
  kind: 'sse-events',
  events: [
    anthropicMessageStart(),
    anthropicEvent('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'UserDetail', input: {} },
    }),
    anthropicEvent('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: '{"name": "Ada", ' },
    }),
    anthropicEvent('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: '"age": 36}' },
    }),
    anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    anthropicEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 10 },
    }),
    anthropicEvent('message_stop', { type: 'message_stop' }),
  ],
};

function geminiCall(args: Record<string, unknown>) {
  return { functionCall: { name: 'UserDetail', args } };
}
const geminiUsage = { promptTokenCount: 20, candidatesTokenCount: 10, totalTokenCount: 30 };
const geminiFunctionCall: Step = {
  kind: 'json',
  body: {
    candidates: [{ content: { role: 'model', parts: [geminiCall(ARGS)] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: geminiUsage,
    modelVersion: 'gemini-2.5-flash',
    responseId: 'resp_1',
  },
};
const geminiFunctionCallStream: Step = {
  kind: 'sse-events',
  events: [
    `data: ${JSON.stringify({
      candidates: [{ content: { role: 'model', parts: [geminiCall(ARGS)] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: geminiUsage,
      modelVersion: 'gemini-2.5-flash',
      responseId: 'resp_1',
    })}\r\n\r\n`,
  ],
};

/** The legacy answer, non-streamed: `function_call`, no `tool_calls`, finish reason `function_call`. */
function assertLegacyMessage(completion: OpenAI.Chat.ChatCompletion): void {
  const choice = completion.choices[0];
  assert.ok(choice, 'one choice');
  assert.equal(choice.message.function_call?.name, 'UserDetail', 'the call comes back as message.function_call');
  assert.deepEqual(JSON.parse(choice.message.function_call?.arguments ?? 'null'), ARGS, 'with its arguments');
  assert.equal(choice.message.tool_calls, undefined, 'no tool_calls for a legacy client');
  assert.equal(choice.finish_reason, 'function_call', 'the legacy finish reason');
}

/** The legacy answer, streamed: `delta.function_call` pieces that join to the call. */
function assertLegacyChunks(chunks: ChatChunk[]): void {
  const calls = deltas(chunks).flatMap((delta) => (delta.function_call ? [delta.function_call] : []));
  assert.equal(calls[0]?.name, 'UserDetail', 'the first function_call delta names the function');
  const args = calls.map((call) => call.arguments ?? '').join('');
  assert.deepEqual(JSON.parse(args), ARGS, 'the function_call deltas join to the arguments');
  assert.ok(
    deltas(chunks).every((delta) => delta.tool_calls === undefined),
    'no tool_calls deltas for a legacy client',
  );
  const finish = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean);
  assert.deepEqual(finish, ['function_call'], 'the legacy finish reason');
}

describe('legacy functions / function_call → Claude and Gemini', () => {
  let gateway: Gateway | undefined;
  let client: OpenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { claude: 'anthropic', google: 'gemini' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: gemini
    deployments: [{ provider: google, model: gemini-2.5-flash }]
`,
    });
    client = gateway.client;
  });
  after(() => gateway?.close());
  afterEach(() => {
    if (!gateway) return;
    simOf(gateway, 'claude').reset();
    simOf(gateway, 'google').reset();
  });

  function upstreamBody(name: string): JsonRecord {
    assert.ok(gateway, 'gateway started');
    const request = simOf(gateway, name).requests[0];
    assert.ok(request, `${name} got a request`);
    return record(request.json, `${name} upstream body`);
  }

  for (const stream of [false, true]) {
    it(`Claude${stream ? ', streamed' : ''}: tools + forced tool_choice upstream, function_call back`, async () => {
      assert.ok(gateway, 'gateway started');
      simOf(gateway, 'claude').enqueue(stream ? claudeToolUseStream : claudeToolUse);
      if (stream) {
        assertLegacyChunks(
          await collectChunks(await client.chat.completions.create({ ...legacyRequest, model: 'claude', stream })),
        );
      } else {
        assertLegacyMessage(await client.chat.completions.create({ ...legacyRequest, model: 'claude' }));
      }
      const body = upstreamBody('claude');
      const tools = body.tools;
      assert.ok(Array.isArray(tools) && tools.length === 1, 'Claude gets the function as a tool');
      const tool = record(tools[0], 'tool');
      assert.equal(tool.name, 'UserDetail', 'named as the function');
      assert.deepEqual(record(tool.input_schema, 'input_schema').required, ['name', 'age'], 'with its parameters');
      assert.deepEqual(
        body.tool_choice,
        { type: 'tool', name: 'UserDetail', disable_parallel_tool_use: true },
        'function_call {name} forces that tool, one call (the legacy answer holds one)',
      );
    });

    it(`Gemini${stream ? ', streamed' : ''}: functionDeclarations + ANY mode upstream, function_call back`, async () => {
      assert.ok(gateway, 'gateway started');
      simOf(gateway, 'google').enqueue(stream ? geminiFunctionCallStream : geminiFunctionCall);
      if (stream) {
        assertLegacyChunks(
          await collectChunks(await client.chat.completions.create({ ...legacyRequest, model: 'gemini', stream })),
        );
      } else {
        assertLegacyMessage(await client.chat.completions.create({ ...legacyRequest, model: 'gemini' }));
      }
      const body = upstreamBody('google');
      const tools = body.tools;
      assert.ok(Array.isArray(tools), 'Gemini gets tools');
      const declarations = record(tools[0], 'tool').functionDeclarations;
      assert.ok(Array.isArray(declarations), 'as function declarations');
      assert.equal(record(declarations[0], 'declaration').name, 'UserDetail', 'named as the function');
      assert.deepEqual(
        body.toolConfig,
        { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['UserDetail'] } },
        'function_call {name} forces that function',
      );
    });
  }

  it('a legacy history (assistant function_call, function message) reaches Claude as a paired tool_use / tool_result', async () => {
    assert.ok(gateway, 'gateway started');
    simOf(gateway, 'claude').enqueue(claudeToolUse);
    await client.chat.completions.create({
      model: 'claude',
      functions,
      messages: [
        { role: 'user', content: 'Ada is 36.' },
        { role: 'assistant', content: null, function_call: { name: 'UserDetail', arguments: JSON.stringify(ARGS) } },
        { role: 'function', name: 'UserDetail', content: 'saved' },
      ],
    });
    const messages = upstreamBody('claude').messages;
    assert.ok(Array.isArray(messages) && messages.length === 3, 'three turns upstream');
    const call = record((record(messages[1], 'assistant').content as unknown[])[0], 'tool_use');
    const result = record((record(messages[2], 'user').content as unknown[])[0], 'tool_result');
    assert.equal(call.type, 'tool_use', 'the assistant function_call is a tool_use');
    assert.equal(result.type, 'tool_result', 'the function message is a tool_result');
    assert.equal(result.tool_use_id, call.id, 'paired by id');
  });
});

describe('legacy functions / function_call → the built-in simulator', () => {
  let llmux: RunningLlmux | undefined;
  let client: OpenAI;

  before(async () => {
    llmux = await startLlmux(`
providers:
  sim: { type: simulator }
models:
  - name: sim
    deployments: [{ provider: sim, model: sim-1 }]
`);
    client = new OpenAI({ baseURL: llmux.baseURL, apiKey: llmux.apiKey, maxRetries: 0 });
  });
  after(() => llmux?.close());

  it('answers function_call, streamed and not, as OpenAI does', async () => {
    const completion = await client.chat.completions.create({ ...legacyRequest, model: 'sim' });
    const choice = completion.choices[0];
    assert.equal(choice?.message.function_call?.name, 'UserDetail', 'message.function_call names the function');
    assert.ok(isRecord(JSON.parse(choice?.message.function_call?.arguments ?? 'null')), 'with JSON object arguments');
    assert.equal(choice?.finish_reason, 'function_call', 'the legacy finish reason');
    const chunks = await collectChunks(
      await client.chat.completions.create({ ...legacyRequest, model: 'sim', stream: true }),
    );
    const calls = deltas(chunks).flatMap((delta) => (delta.function_call ? [delta.function_call] : []));
    assert.equal(calls[0]?.name, 'UserDetail', 'delta.function_call names the function');
    assert.ok(isRecord(JSON.parse(calls.map((c) => c.arguments ?? '').join(''))), 'and streams its arguments');
  });
});
