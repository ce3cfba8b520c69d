/**
 * End to end: the official `openai` SDK → llmux → a local Anthropic simulator serving recorded
 * Anthropic Messages traffic (../shared/fixtures/anthropic). Checks what the SDK sees and what
 * llmux sent upstream.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { anthropicJsonStep, anthropicSseStep } from '../support/anthropic-replay.ts';
import { loadCassette, readFixtureJson } from '../support/fixtures.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { toEventsStep } from '../support/replay-common.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

type ChatChunk = OpenAI.Chat.ChatCompletionChunk;
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

async function collectChunks(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const deltas = (chunks: ChatChunk[]) => chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
const contentOf = (chunks: ChatChunk[]) =>
  deltas(chunks)
    .map((delta) => delta.content ?? '')
    .join('');

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

describe('openai SDK → llmux → Anthropic', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
router: { cooldown: { failures: 1000 } }
providers:
  claude: { type: anthropic, apiKey: test-anthropic-key, baseUrl: "${sim.url}" }
models:
  - name: claude
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: claude-4
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-0 }]
  # A 429 with retry-after cools its deployment down (router): it gets a deployment of its own.
  - name: claude-rate-limited
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-5-20250929 }]
  - name: claude-lenient
    retry: { attempts: 1 }
    deployments:
      - provider: claude
        model: claude-sonnet-4-5
        capabilities: { dropUnsupported: true }
        bodyOverrides: { metadata: { user_id: ops-team } }
`);
    client = new OpenAI({ baseURL: llmux.baseURL, apiKey: llmux.apiKey, maxRetries: 0, timeout: 10_000 });
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
    assert.ok(call?.type === 'function');
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
        assert.ok(slot);
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
    assert.deepEqual(upstream().output_config, { format: { type: 'json_schema', schema } });
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
    assert.ok(sim.requests.every((request) => !('n' in record(request.json, 'body'))));
    assert.equal(data.usage?.prompt_tokens, 12 + 296);
  });

  describe('errors', () => {
    const anthropicError = (type: string, message: string) => ({
      type: 'error',
      error: { type, message },
      request_id: 'req_011CTest',
    });

    it('unsupported parameter → 400 naming it, before any upstream call', async () => {
      const error = await rejection(
        client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }], logprobs: true }),
        BadRequestError,
      );
      assert.equal(error.status, 400);
      assert.equal(error.param, 'logprobs');
      assert.equal(error.code, 'unsupported_parameter');
      assert.equal(sim.requests.length, 0);
    });

    it('401 authentication_error → AuthenticationError, code invalid_api_key', async () => {
      sim.enqueue({ kind: 'json', status: 401, body: anthropicError('authentication_error', 'invalid x-api-key') });
      const error = await rejection(
        client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
        AuthenticationError,
      );
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
      assert.match(error.message, /invalid x-api-key/);
    });

    it('400 recorded invalid_request_error → BadRequestError with the upstream message', async () => {
      sim.enqueue(anthropicJsonStep(`${VA}/anthropic-issue-17366-error.json`));
      const error = await rejection(
        client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
        BadRequestError,
      );
      assert.equal(error.status, 400);
      assert.match(error.message, /unexpected `tool_use_id` found in `tool_result` blocks/);
    });

    it('404 recorded not_found_error → NotFoundError, model_not_found', async () => {
      sim.enqueue(anthropicJsonStep(`${PA}/test_model_name_suggestion[anthropic].yaml`));
      const error = await rejection(
        client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
        NotFoundError,
      );
      assert.equal(error.code, 'model_not_found');
    });

    it('429 rate_limit_error with retry-after → RateLimitError, retry-after passed on', async () => {
      sim.enqueue({
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '7' },
        body: anthropicError('rate_limit_error', 'Rate limited'),
      });
      const error = await rejection(
        client.chat.completions.create({ model: 'claude-rate-limited', messages: [{ role: 'user', content: 'x' }] }),
        RateLimitError,
      );
      assert.equal(error.status, 429);
      assert.equal(error.headers?.get('retry-after'), '7');
    });

    it('529 overloaded_error → InternalServerError with status 529', async () => {
      sim.enqueue({ kind: 'json', status: 529, body: anthropicError('overloaded_error', 'Overloaded') });
      const error = await rejection(
        client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
        InternalServerError,
      );
      assert.equal(error.status, 529);
      assert.match(error.message, /Overloaded/);
    });

    it('mid-stream overloaded_error → the SDK stream throws after the text so far (no hang)', async () => {
      // Frames 20 ms apart, so the text reaches the client before the error does.
      const step = toEventsStep(anthropicSseStep(`${VA}/anthropic-text.chunks.txt`), { take: 6, delayMs: 20 });
      assert.ok(step.kind === 'sse-events');
      step.events.push(
        'event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"} }\n\n',
      );
      step.thenError = 'close';
      sim.enqueue(step);
      const stream = await client.chat.completions.create({
        model: 'claude',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      const seen: ChatChunk[] = [];
      const error = await rejection(
        (async () => {
          for await (const chunk of stream) seen.push(chunk);
        })(),
        APIError,
      );
      assert.match(error.message, /Overloaded/);
      assert.match(contentOf(seen), /^Hello! I/);
    });

    it('overloaded_error before any text reached the client → a plain 529 error response', async () => {
      const step = toEventsStep(anthropicSseStep(`${VA}/anthropic-text.chunks.txt`), { take: 3 });
      assert.ok(step.kind === 'sse-events');
      step.events.push(
        'event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"} }\n\n',
      );
      sim.enqueue(step);
      const stream = client.chat.completions.create({
        model: 'claude',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      const error = await rejection(stream, InternalServerError);
      assert.equal(error.status, 529);
      assert.equal(error.code, 'overloaded_error');
    });

    for (const [how, thenError] of [
      ['response ends cleanly', undefined],
      ['connection closes', 'close'],
    ] as const) {
      it(`stream cut before message_stop (${how}) → the SDK stream throws instead of ending quietly`, async () => {
        const options = { take: 8, delayMs: 20, ...(thenError ? { thenError } : {}) };
        sim.enqueue(toEventsStep(anthropicSseStep(`${VA}/anthropic-text.chunks.txt`), options));
        const stream = await client.chat.completions.create({
          model: 'claude',
          messages: [{ role: 'user', content: 'x' }],
          stream: true,
        });
        const seen: ChatChunk[] = [];
        const error = await rejection(
          (async () => {
            for await (const chunk of stream) seen.push(chunk);
          })(),
          APIError,
        );
        assert.match(error.message, thenError ? /closed/ : /ended before message_stop/);
        assert.ok(contentOf(seen).length > 0);
      });
    }
  });
});
