/**
 * End to end with the official `openai` SDK (v6) against a running llmux, upstream served by a scripted
 * local simulator replaying recorded OpenAI traffic (and the built-in `simulator` provider for `demo`).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, {
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { request } from 'undici';
import { z } from 'zod';
import { loadDotnetRecord, loadRawSse } from '../support/fixtures.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { dotnetStep, openaiSseStep } from '../support/openai-replay.ts';
import { splitSseFrames, toEventsStep } from '../support/replay-common.ts';
import { type ChatChunk, contentOf, rejection } from '../support/sdk-helpers.ts';
import { type RunningLlmux, startLlmux, TEST_KEY } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

type CreateParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

const UPSTREAM_MODEL = 'gpt-4o-2024-08-06';
const NARROW_KEY = 'sk-llmux-narrow-key';
const bin = (hash: string): string => `openai/openai-python/${hash}.bin`;
const PLAIN = bin('e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd');
const LOGPROBS = bin('83b060bae42eb41c4f1edbb7c1542b954b37d9dfd1910b964ddebc9677e6ae85');
const N3_LOCATION = bin('a491adda08c3d4fde95f5b2ee3f60f7f745f1a56d82e62f58031cc2add502380');
const PARALLEL_TOOLS = bin('f82268f2fefd5cfbc7eeb59c297688be2f6ca0849a6e4f17851b517310841d9b');
const HELLO = 'openai/openai-dotnet/HelloWorldChat.json';

function recordAt(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

/** The parsed `data:` payloads of a raw SSE body ([DONE] excluded). */
function payloads(body: Buffer | string): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (const frame of splitSseFrames(body)) {
    const data = frame.replace(/^data: /, '').trim();
    if (data === '[DONE]' || data === '') continue;
    out.push(recordAt(JSON.parse(data) as unknown, 'chunk'));
  }
  return out;
}

function fixtureContent(chunks: JsonRecord[], index = 0): string {
  let text = '';
  for (const chunk of chunks) {
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isRecord(choice) || choice.index !== index || !isRecord(choice.delta)) continue;
      if (typeof choice.delta.content === 'string') text += choice.delta.content;
    }
  }
  return text;
}

function fixtureUsage(chunks: JsonRecord[]): JsonRecord {
  const found = chunks.filter((chunk) => isRecord(chunk.usage));
  assert.equal(found.length, 1);
  return recordAt(found[0]?.usage, 'usage');
}

function dotnetEntry(rel: string, index = 0): { request: JsonRecord; response: JsonRecord } {
  const entry = loadDotnetRecord(rel).entries[index];
  assert.ok(entry, 'entry');
  return {
    request: recordAt(entry.requestBody, 'request'),
    response: recordAt(JSON.parse(entry.responseBody.toString('utf8')) as unknown, 'response'),
  };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Awaits a rejection and checks it is an instance of `type`. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('openai SDK against llmux', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
server: { bodyLimitMb: 0.25 }
# Tests here script upstream failures back to back: keep the circuit breaker (issue 4) out of the way.
router: { cooldown: { failures: 1000 } }
providers:
  up: { type: openai-compatible, baseUrl: "${sim.url}/v1", apiKey: up-key }
  sim: { type: simulator }
models:
  - name: gpt-test
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  - name: limited
    retry: { attempts: 1 }
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  - name: flaky
    retry: { attempts: 3, backoffMs: 1, maxBackoffMs: 2 }
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  - name: cut
    retry: { attempts: 1 }
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  - name: slow
    retry: { attempts: 2, backoffMs: 1, maxBackoffMs: 2 }
    timeouts: { firstByteMs: 300 }
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  - name: demo
    deployments: [{ provider: sim, model: demo }]
keys:
  - { name: test, key: ${TEST_KEY}, models: ["*"] }
  - { name: narrow, key: ${NARROW_KEY}, models: ["demo", "gpt-*"] }
`);
    client = new OpenAI({ baseURL: llmux.baseURL, apiKey: llmux.apiKey, maxRetries: 0, timeout: 10_000 });
  });

  afterEach(() => {
    const pending = sim.pendingSteps();
    sim.reset();
    assert.equal(pending, 0, 'every scripted upstream step was used');
  });

  after(async () => {
    await llmux.close();
    await sim.close();
  });

  const lastUpstreamBody = (): JsonRecord => recordAt(sim.requests.at(-1)?.json, 'upstream body');

  async function logRecord(requestId: string | null) {
    assert.ok(requestId, 'requestId');
    return waitFor(`request log row ${requestId}`, async () => {
      await llmux.app.store.requestLog.flush();
      const rows = await llmux.app.store.listRequests({ limit: 10_000 });
      return rows.find((row) => row.requestId === requestId);
    });
  }

  describe('success paths', () => {
    it('non-streaming: the recorded completion comes back as the SDK object, with llmux headers', async () => {
      const recorded = dotnetEntry(HELLO);
      sim.enqueue(dotnetStep(HELLO));
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hello, world!' }] })
        .withResponse();
      assert.deepEqual(JSON.parse(JSON.stringify(data)), recorded.response);
      assert.equal(data.choices[0]?.message.content, 'Hello! How can I assist you today?');
      assert.match(response.headers.get('x-request-id') ?? '', /^\S+$/);
      assert.equal(response.headers.get('x-llmux-provider'), 'up');
      assert.equal(response.headers.get('x-llmux-model'), UPSTREAM_MODEL);
      assert.equal(response.headers.get('x-llmux-attempts'), '1');
      assert.deepEqual(lastUpstreamBody(), { ...recorded.request, model: UPSTREAM_MODEL });
      assert.equal(sim.requests.at(-1)?.headers.authorization, 'Bearer up-key');
      const row = await logRecord(response.headers.get('x-request-id'));
      assert.equal(row.keyName, 'test');
      assert.equal(row.inputTokens, 11);
      assert.equal(row.outputTokens, 9);
    });

    it('keeps a caller-supplied x-request-id apart from its own', async () => {
      sim.enqueue(dotnetStep(HELLO));
      const { response } = await client.chat.completions
        .create(
          { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] },
          { headers: { 'x-request-id': 'trace-abc.123' } },
        )
        .withResponse();
      assert.notEqual(response.headers.get('x-request-id'), 'trace-abc.123', 'the request id is llmux’s own');
      assert.equal(response.headers.get('x-client-request-id'), 'trace-abc.123');
      const row = await logRecord(response.headers.get('x-request-id'));
      assert.equal(row.clientRequestId, 'trace-abc.123');
    });

    it('streaming with include_usage: deltas and the usage chunk as recorded', async () => {
      const fixture = payloads(loadRawSse(PLAIN));
      sim.enqueue(openaiSseStep(PLAIN));
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'gpt-test',
          messages: [{ role: 'user', content: "What's the weather like in SF?" }],
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(response.headers.get('x-llmux-provider'), 'up');
      const chunks = await collect(stream);
      assert.equal(chunks.length, fixture.length);
      assert.equal(contentOf(chunks), fixtureContent(fixture));
      assert.match(contentOf(chunks), /^I'm unable to provide real-time weather updates/);
      assert.deepEqual(chunks.at(-1)?.choices, []);
      assert.deepEqual(chunks.at(-1)?.usage, fixtureUsage(fixture));
      assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
      assert.deepEqual(lastUpstreamBody().stream_options, { include_usage: true });
    });

    it('streaming without include_usage: same deltas, no usage chunk (but usage still metered)', async () => {
      const fixture = payloads(loadRawSse(PLAIN));
      sim.enqueue(openaiSseStep(PLAIN));
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'gpt-test',
          messages: [{ role: 'user', content: "What's the weather like in SF?" }],
          stream: true,
        })
        .withResponse();
      const chunks = await collect(stream);
      assert.equal(chunks.length, fixture.length - 1);
      assert.equal(contentOf(chunks), fixtureContent(fixture));
      assert.ok(
        chunks.every((chunk) => chunk.usage === undefined || chunk.usage === null),
        'chunks.every((chunk) => chunk.usage === undefined || chunk.usage === null)',
      );
      assert.ok(
        chunks.every((chunk) => chunk.choices.length === 1),
        'chunks.every((chunk) => chunk.choices.length === 1)',
      );
      assert.deepEqual(lastUpstreamBody().stream_options, { include_usage: true });
      const row = await logRecord(response.headers.get('x-request-id'));
      assert.equal(row.inputTokens, fixtureUsage(fixture).prompt_tokens);
      assert.equal(row.outputTokens, fixtureUsage(fixture).completion_tokens);
    });

    it('tool calls round trip (recorded ParallelToolCalls): two calls, then the tool results go upstream', async () => {
      const rel = 'openai/openai-dotnet/ParallelToolCalls.json';
      const first = dotnetEntry(rel, 0);
      const second = dotnetEntry(rel, 1);
      sim.enqueue(dotnetStep(rel, 0), dotnetStep(rel, 1));
      const tools = first.request.tools as OpenAI.Chat.ChatCompletionTool[];
      const userMessage: OpenAI.Chat.ChatCompletionMessageParam = {
        role: 'user',
        content: "Tell me what's the current weather in the following cities: Santiago and Karachi.",
      };
      const step1 = await client.chat.completions.create({ model: 'gpt-test', messages: [userMessage], tools });
      assert.deepEqual(lastUpstreamBody(), { ...first.request, model: UPSTREAM_MODEL });
      const message = step1.choices[0]?.message;
      assert.equal(step1.choices[0]?.finish_reason, 'tool_calls');
      const calls = (message?.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [call] : []));
      assert.deepEqual(
        calls.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments) as unknown]),
        [
          ['call_SKQEHo7QVlJRoCtEzcrYZM9C', 'get_weather_for_city', { city_name: 'Santiago' }],
          ['call_CkjljlLr7IebPc4hnvetfiZ8', 'get_weather_for_city', { city_name: 'Karachi' }],
        ],
      );
      const results: Record<string, string> = { Santiago: 'rainy', Karachi: 'sunny' };
      const step2 = await client.chat.completions.create({
        model: 'gpt-test',
        messages: [
          userMessage,
          { role: 'assistant', tool_calls: message?.tool_calls ?? [] },
          ...calls.map(
            (call): OpenAI.Chat.ChatCompletionToolMessageParam => ({
              role: 'tool',
              tool_call_id: call.id,
              content: results[String((JSON.parse(call.function.arguments) as { city_name: unknown }).city_name)] ?? '',
            }),
          ),
        ],
        tools,
      });
      assert.deepEqual(lastUpstreamBody(), { ...second.request, model: UPSTREAM_MODEL });
      assert.equal(
        step2.choices[0]?.message.content,
        'The current weather is as follows:\n- Santiago: Rainy\n- Karachi: Sunny',
      );
    });

    it('streamed tool call round trip (recorded issue-15789 steps): deltas assemble, the call goes back upstream', async () => {
      sim.enqueue(
        openaiSseStep('openai/vercel-ai/issue-15789-step-1.chunks.txt'),
        openaiSseStep('openai/vercel-ai/issue-15789-step-2.chunks.txt'),
      );
      const tools: OpenAI.Chat.ChatCompletionTool[] = [
        { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } },
      ];
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'Say PRE_TOOL, call weather, then say POST_TOOL.' },
      ];
      const runner = client.chat.completions.stream({ model: 'gpt-test', messages, tools });
      const final = await runner.finalChatCompletion();
      const message = final.choices[0]?.message;
      assert.equal(message?.content, 'PRE_TOOL');
      const call = message?.tool_calls?.[0];
      assert.ok(call && call.type === 'function', "call && call.type === 'function'");
      assert.equal(call.id, 'call_NZa7xqfefoaMI2YYHowVXVlU');
      assert.equal(call.function.name, 'weather');
      assert.equal(call.function.arguments, '{}');
      assert.equal(final.choices[0]?.finish_reason, 'tool_calls');

      const next = await collect(
        await client.chat.completions.create({
          model: 'gpt-test',
          stream: true,
          tools,
          messages: [
            ...messages,
            { role: 'assistant', content: 'PRE_TOOL', tool_calls: [call] },
            { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' },
          ],
        }),
      );
      assert.equal(contentOf(next), 'POST_TOOL');
      const upstreamMessages = lastUpstreamBody().messages;
      assert.deepEqual(upstreamMessages, [
        ...messages,
        {
          role: 'assistant',
          content: 'PRE_TOOL',
          tool_calls: [{ id: call.id, type: 'function', function: { name: 'weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' },
      ]);
    });

    it('json_schema + n=3 (recorded test_parse_pydantic_model_multiple_choices): every choice parses', async () => {
      const fixture = payloads(loadRawSse(N3_LOCATION));
      sim.enqueue(openaiSseStep(N3_LOCATION));
      const Location = z.object({ city: z.string(), temperature: z.number(), units: z.enum(['c', 'f']) });
      const runner = client.chat.completions.stream({
        model: 'gpt-test',
        messages: [{ role: 'user', content: "What's the weather like in SF?" }],
        response_format: zodResponseFormat(Location, 'Location'),
        n: 3,
      });
      const final = await runner.finalChatCompletion();
      assert.equal(final.choices.length, 3);
      for (const index of [0, 1, 2]) {
        const choice = final.choices.find((candidate) => candidate.index === index);
        assert.equal(choice?.message.content, fixtureContent(fixture, index));
        assert.deepEqual(choice?.message.parsed, JSON.parse(fixtureContent(fixture, index)));
      }
      assert.deepEqual(
        final.choices.map((choice) => choice.message.parsed?.temperature),
        [65, 61, 59],
      );
      const upstream = lastUpstreamBody();
      assert.equal(upstream.n, 3);
      const format = recordAt(upstream.response_format, 'response_format');
      assert.equal(format.type, 'json_schema');
      const schema = recordAt(format.json_schema, 'json_schema');
      assert.equal(schema.name, 'Location');
      assert.equal(schema.strict, true);
      assert.deepEqual(recordAt(schema.schema, 'schema').required, ['city', 'temperature', 'units']);
    });

    it('n=3 plain stream: choices stay apart by index', async () => {
      const fixture = payloads(loadRawSse(N3_LOCATION));
      sim.enqueue(openaiSseStep(N3_LOCATION));
      const chunks = await collect(
        await client.chat.completions.create({
          model: 'gpt-test',
          messages: [{ role: 'user', content: 'hi' }],
          n: 3,
          stream: true,
        }),
      );
      for (const index of [0, 1, 2]) assert.equal(contentOf(chunks, index), fixtureContent(fixture, index));
      const finishes = chunks.flatMap((chunk) => chunk.choices.filter((choice) => choice.finish_reason !== null));
      assert.deepEqual(
        finishes.map((choice) => [choice.index, choice.finish_reason]),
        [
          [0, 'stop'],
          [1, 'stop'],
          [2, 'stop'],
        ],
      );
    });

    it('parallel tool calls stream: the SDK assembles both calls', async () => {
      sim.enqueue(openaiSseStep(PARALLEL_TOOLS));
      const final = await client.chat.completions
        .stream({
          model: 'gpt-test',
          messages: [{ role: 'user', content: "What's the weather like in Edinburgh? And AAPL?" }],
          tools: [
            { type: 'function', function: { name: 'GetWeatherArgs', parameters: { type: 'object' } } },
            { type: 'function', function: { name: 'get_stock_price', parameters: { type: 'object' } } },
          ],
        })
        .finalChatCompletion();
      const calls = (final.choices[0]?.message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [call] : [],
      );
      assert.deepEqual(
        calls.map((call) => call.function.name),
        ['GetWeatherArgs', 'get_stock_price'],
      );
      for (const call of calls)
        assert.ok(isRecord(JSON.parse(call.function.arguments)), 'isRecord(JSON.parse(call.function.arguments))');
      assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
    });

    it('image input: data URL and http URL parts are forwarded as sent', async () => {
      sim.enqueue(dotnetStep(HELLO));
      const content: OpenAI.Chat.ChatCompletionContentPart[] = [
        { type: 'text', text: 'What is in these images?' },
        {
          type: 'image_url',
          image_url: {
            url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
            detail: 'low',
          },
        },
        {
          type: 'image_url',
          image_url: {
            url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
            detail: 'high',
          },
        },
      ];
      const completion = await client.chat.completions.create({
        model: 'gpt-test',
        messages: [{ role: 'user', content }],
      });
      assert.equal(completion.choices[0]?.message.content, 'Hello! How can I assist you today?');
      assert.deepEqual(lastUpstreamBody().messages, [{ role: 'user', content }]);
    });

    it('logprobs stream (recorded test_content_logprobs_events): tokens and logprobs as recorded', async () => {
      const fixture = payloads(loadRawSse(LOGPROBS));
      sim.enqueue(openaiSseStep(LOGPROBS));
      const chunks = await collect(
        await client.chat.completions.create({
          model: 'gpt-test',
          messages: [{ role: 'user', content: 'Say foo' }],
          logprobs: true,
          stream: true,
        }),
      );
      const tokens = chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.logprobs?.content ?? []));
      const expected = fixture.flatMap((chunk) =>
        (Array.isArray(chunk.choices) ? chunk.choices : []).flatMap((choice) =>
          isRecord(choice) && isRecord(choice.logprobs) && Array.isArray(choice.logprobs.content)
            ? choice.logprobs.content
            : [],
        ),
      );
      assert.deepEqual(
        tokens.map((token) => token.token),
        ['Foo', '!'],
      );
      assert.deepEqual(JSON.parse(JSON.stringify(tokens)), expected);
      assert.equal(lastUpstreamBody().logprobs, true);
    });

    it('refusal stream (recorded dotnet StreamingStructuredRefusalWorks)', async () => {
      const rel = 'openai/openai-dotnet/StreamingStructuredRefusalWorks.json';
      const recorded = recordAt(loadDotnetRecord(rel).entries[0]?.requestBody, 'request');
      sim.enqueue(dotnetStep(rel));
      const chunks = await collect(
        await client.chat.completions.create({
          model: 'gpt-test',
          messages: recorded.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      assert.equal(contentOf(chunks), "I'm sorry, I can't assist with that request.");
      assert.equal(chunks.at(-1)?.usage?.prompt_tokens, 26);
      assert.deepEqual(lastUpstreamBody(), { ...recorded, model: UPSTREAM_MODEL });
    });

    it('an upstream 500 then a 200: llmux retries and says so', async () => {
      sim.enqueue({
        kind: 'json',
        status: 500,
        body: { error: { message: 'boom', type: 'server_error', param: null, code: null } },
      });
      sim.enqueue(dotnetStep(HELLO));
      const { data, response } = await client.chat.completions
        .create({ model: 'flaky', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      assert.equal(data.choices[0]?.message.content, 'Hello! How can I assist you today?');
      assert.equal(response.headers.get('x-llmux-attempts'), '2');
      assert.equal(sim.requests.length, 2);
    });
  });

  describe('errors surface as the SDK error classes', () => {
    async function raw(
      path: string,
      init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
    ) {
      const response = await request(`${llmux.url}${path}`, {
        method: init.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      const text = await response.body.text();
      const requestId = response.headers['x-request-id'];
      return { status: response.statusCode, text, requestId: typeof requestId === 'string' ? requestId : undefined };
    }

    function errorOf(text: string): JsonRecord {
      return recordAt(recordAt(JSON.parse(text) as unknown, 'body').error, 'error');
    }

    const hello = JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });

    it('missing key → 401 invalid_api_key with a request id', async () => {
      const result = await raw('/v1/chat/completions', { body: hello });
      assert.equal(result.status, 401);
      assert.ok(result.requestId, 'result.requestId');
      const error = errorOf(result.text);
      assert.equal(error.code, 'invalid_api_key');
      assert.equal(error.type, 'invalid_request_error');
      assert.match(String(error.message), new RegExp(`\\(request id: ${result.requestId}\\)$`));
      assert.equal(sim.requests.length, 0);
    });

    it('wrong Bearer key → AuthenticationError', async () => {
      const wrong = new OpenAI({ baseURL: llmux.baseURL, apiKey: 'sk-llmux-wrong-key', maxRetries: 0 });
      const error = await rejection(
        wrong.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }),
        AuthenticationError,
      );
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
      assert.ok(error.requestID, 'error.requestID');
      assert.equal(error.headers?.get('x-request-id'), error.requestID);
      assert.ok(!error.message.includes('sk-llmux-wrong-key'), 'the presented key is not echoed');
      const models = await rejection(wrong.models.list(), AuthenticationError);
      assert.equal(models.status, 401);
    });

    for (const header of ['x-api-key', 'x-goog-api-key']) {
      it(`${header}: the right key is accepted, a wrong one is 401`, async () => {
        sim.enqueue(dotnetStep(HELLO));
        const ok = await raw('/v1/chat/completions', { headers: { [header]: TEST_KEY }, body: hello });
        assert.equal(ok.status, 200);
        assert.ok(ok.requestId, 'ok.requestId');
        assert.equal(recordAt(JSON.parse(ok.text) as unknown, 'body').id, 'chatcmpl-D8dUjRkJNE7oAraZr6I7Jy8l3f2eU');
        const bad = await raw('/v1/chat/completions', { headers: { [header]: 'sk-llmux-nope-0000' }, body: hello });
        assert.equal(bad.status, 401);
        assert.ok(bad.requestId, 'bad.requestId');
        assert.equal(errorOf(bad.text).code, 'invalid_api_key');
      });
    }

    it('bad JSON → 400 naming the body', async () => {
      const result = await raw('/v1/chat/completions', {
        headers: { authorization: `Bearer ${TEST_KEY}` },
        body: '{"model": "gpt-test", "messages": [',
      });
      assert.equal(result.status, 400);
      assert.ok(result.requestId, 'result.requestId');
      const error = errorOf(result.text);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, 'body');
      assert.match(String(error.message), /could not parse the JSON body/);
    });

    const BAD_REQUESTS: Array<{ name: string; body: JsonRecord; param: string }> = [
      { name: 'missing model', body: { messages: [{ role: 'user', content: 'hi' }] }, param: 'model' },
      { name: 'missing messages', body: { model: 'gpt-test' }, param: 'messages' },
      { name: 'messages not an array', body: { model: 'gpt-test', messages: 'hi' }, param: 'messages' },
      { name: 'model not a string', body: { model: 42, messages: [{ role: 'user', content: 'hi' }] }, param: 'model' },
      {
        name: 'temperature a string',
        body: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' },
        param: 'temperature',
      },
      {
        name: 'stream not a boolean',
        body: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: 'yes' },
        param: 'stream',
      },
      {
        name: 'content a number',
        body: { model: 'gpt-test', messages: [{ role: 'user', content: 7 }] },
        param: 'messages[0].content',
      },
      {
        name: 'unknown role',
        body: { model: 'gpt-test', messages: [{ role: 'robot', content: 'hi' }] },
        param: 'messages[0].role',
      },
      {
        name: 'tool without function name',
        body: {
          model: 'gpt-test',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ type: 'function', function: {} }],
        },
        param: 'tools[0].function.name',
      },
      {
        name: 'n out of range',
        body: { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], n: 0 },
        param: 'n',
      },
    ];

    for (const bad of BAD_REQUESTS) {
      it(`${bad.name} → BadRequestError with param ${bad.param}`, async () => {
        const error = await rejection(
          client.chat.completions.create(bad.body as unknown as CreateParams),
          BadRequestError,
        );
        assert.equal(error.status, 400);
        assert.equal(error.param, bad.param);
        assert.equal(error.type, 'invalid_request_error');
        assert.ok(error.message.includes(bad.param), error.message);
        assert.match(error.message, /\(request id: [^)]+\)$/);
        assert.ok(error.requestID, 'error.requestID');
        assert.equal(sim.requests.length, 0, 'nothing reached the upstream');
      });
    }

    it('unknown model → NotFoundError model_not_found', async () => {
      const error = await rejection(
        client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'hi' }] }),
        NotFoundError,
      );
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.param, 'model');
      assert.match(error.message, /gpt-nope/);
      assert.ok(error.requestID, 'error.requestID');
    });

    it("a model outside the key's allow-list is not found either", async () => {
      const narrow = new OpenAI({ baseURL: llmux.baseURL, apiKey: NARROW_KEY, maxRetries: 0 });
      const error = await rejection(
        narrow.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'hi' }] }),
        NotFoundError,
      );
      assert.equal(error.code, 'model_not_found');
      assert.equal(sim.requests.length, 0);
    });

    it('a body over server.bodyLimitMb → 413', async () => {
      const error = await rejection(
        client.chat.completions.create({
          model: 'gpt-test',
          messages: [{ role: 'user', content: 'x'.repeat(300 * 1024) }],
        }),
        APIError,
      );
      assert.equal(error.status, 413);
      assert.equal(error.type, 'invalid_request_error');
      assert.ok(error.requestID, 'error.requestID');
      assert.match(error.message, /larger than the limit/);
      assert.equal(sim.requests.length, 0);
    });

    it('upstream 429 with retry-after → RateLimitError, retry-after passed on, no llmux retry', async () => {
      const body = {
        error: {
          message:
            'Rate limit reached for o4-mini in organization org-**** on tokens per min (TPM): Limit 200000, Used 162960, Requested 42288. Please try again in 1.574s. Visit https://platform.openai.com/account/rate-limits to learn more.',
          type: 'tokens',
          param: null,
          code: 'rate_limit_exceeded',
        },
      };
      sim.enqueue({ kind: 'json', status: 429, headers: { 'retry-after': '2' }, body });
      const error = await rejection(
        client.chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'hi' }] }),
        RateLimitError,
      );
      assert.equal(error.status, 429);
      assert.equal(error.headers?.get('retry-after'), '2');
      assert.equal(error.code, 'rate_limit_exceeded');
      assert.equal(error.type, 'tokens');
      assert.equal(error.message, `429 ${body.error.message} (request id: ${error.requestID})`);
      assert.equal(sim.requests.length, 1);
    });

    it('upstream 500 on every attempt → InternalServerError after llmux retried', async () => {
      const failure = {
        kind: 'json' as const,
        status: 500,
        body: { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } },
      };
      sim.enqueue(failure, failure, failure);
      const error = await rejection(
        client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'hi' }] }),
        InternalServerError,
      );
      assert.equal(error.status, 500);
      assert.match(error.message, /The server had an error \(request id: /);
      assert.equal(sim.requests.length, 3, 'retry.attempts: 3');
      const row = await logRecord(error.requestID ?? null);
      assert.equal(row.status, 500);
      assert.equal(row.attempts, 3);
    });
  });

  describe('upstream failures after and before the first byte', () => {
    it('a stream cut mid-way ends with an OpenAI error event the SDK raises', async () => {
      sim.enqueue(toEventsStep(openaiSseStep(PLAIN), { take: 4, thenError: 'reset' }));
      const { data: stream, response } = await client.chat.completions
        .create({ model: 'cut', messages: [{ role: 'user', content: 'hi' }], stream: true })
        .withResponse();
      const chunks: ChatChunk[] = [];
      const error = await rejection(
        (async () => {
          for await (const chunk of stream) chunks.push(chunk);
        })(),
        APIError,
      );
      assert.equal(contentOf(chunks), fixtureContent(payloads(loadRawSse(PLAIN)).slice(0, 4)));
      assert.equal(chunks.length, 4);
      assert.match(error.message, /upstream connection closed mid-response .*\(request id: [^)]+\)/);
      assert.equal(sim.requests.length, 1, 'never retried once bytes reached the client');
      const row = await logRecord(response.headers.get('x-request-id'));
      assert.equal(row.status, 200);
      assert.equal(row.errorCode, 'upstream_bad_response');
    });

    it('no response headers within firstByteMs → 504 after llmux retried, each upstream request abandoned', async () => {
      sim.enqueue({ kind: 'stall-before-headers' }, { kind: 'stall-before-headers' });
      const started = Date.now();
      const error = await rejection(
        client.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }] }),
        InternalServerError,
      );
      assert.equal(error.status, 504);
      assert.equal(error.code, 'upstream_timeout');
      assert.match(error.message, /no response headers within 300 ms/);
      assert.equal(sim.requests.length, 2);
      assert.ok(Date.now() - started >= 600, `two attempts of 300 ms, took ${Date.now() - started} ms`);
      for (const index of [0, 1]) assert.equal((await sim.waitForClose(index)).closedEarly, true);
    });

    it('a client that leaves while the upstream has not answered yet cancels the upstream request', async () => {
      sim.enqueue({ kind: 'stall-before-headers' });
      const controller = new AbortController();
      const pending = client.chat.completions.create(
        { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true },
        { signal: controller.signal },
      );
      await sim.waitForRequests(1);
      controller.abort();
      await rejection(pending, APIUserAbortError);
      const upstream = await sim.waitForClose(0);
      assert.equal(upstream.closedEarly, true);
      await waitFor(
        'a 499 row',
        async () => {
          await llmux.app.store.requestLog.flush();
          const rows = await llmux.app.store.listRequests({ limit: 10_000 });
          return rows.find((row) => row.status === 499 && row.publicModel === 'gpt-test' && row.ttftMs === null);
        },
        10_000,
      );
    });
  });

  describe('client abort mid-stream', () => {
    it('cancels the upstream request and records 499', async () => {
      sim.enqueue(toEventsStep(openaiSseStep(PLAIN), { delayMs: 150 }));
      const controller = new AbortController();
      const { data: stream, response } = await client.chat.completions
        .create(
          { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true },
          { signal: controller.signal },
        )
        .withResponse();
      const requestId = response.headers.get('x-request-id');
      let received = 0;
      // The SDK ends the iteration quietly when its own signal aborts it.
      for await (const _chunk of stream) {
        received += 1;
        if (received === 2) controller.abort();
      }
      assert.equal(received, 2);
      assert.equal(controller.signal.aborted, true);
      const upstream = await waitFor('the upstream request to close', () =>
        sim.requests[0]?.responseClosed ? sim.requests[0] : undefined,
      );
      assert.equal(upstream.closedEarly, true, 'llmux closed the upstream request');
      const row = await logRecord(requestId);
      assert.equal(row.status, 499);
      assert.equal(row.stream, true);
    });
  });

  describe('models and health', () => {
    it('GET /v1/models lists exactly the models the key may use', async () => {
      const all: string[] = [];
      for await (const model of client.models.list()) {
        all.push(model.id);
        assert.equal(model.object, 'model');
        assert.equal(model.owned_by, 'llmux');
      }
      assert.deepEqual(all.sort(), ['cut', 'demo', 'flaky', 'gpt-test', 'limited', 'slow']);
      const narrow = new OpenAI({ baseURL: llmux.baseURL, apiKey: NARROW_KEY, maxRetries: 0 });
      const some: string[] = [];
      for await (const model of narrow.models.list()) some.push(model.id);
      assert.deepEqual(some.sort(), ['demo', 'gpt-test']);
    });

    it('GET /health → 200 without a key (query string or not)', async () => {
      for (const path of ['/health', '/health?probe=1']) {
        const response = await request(`${llmux.url}${path}`);
        assert.equal(response.statusCode, 200, path);
        assert.ok(response.headers['x-request-id'], "response.headers['x-request-id']");
        assert.deepEqual(await response.body.json(), { status: 'ok' });
      }
      const guarded = await request(`${llmux.url}/v1/models?x=/health`);
      assert.equal(guarded.statusCode, 401);
      await guarded.body.dump();
    });
  });

  describe('the built-in demo simulator model', () => {
    const prompt = 'Hi there, simulator';
    const expected = `Hello from the llmux simulator (model demo). You said: "${prompt}". This reply is deterministic.`;

    it('non-streaming', async () => {
      const { data, response } = await client.chat.completions
        .create({ model: 'demo', messages: [{ role: 'user', content: prompt }] })
        .withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.equal(data.choices[0]?.message.content, expected);
      assert.equal(data.choices[0]?.finish_reason, 'stop');
      assert.ok((data.usage?.prompt_tokens ?? 0) > 0, '(data.usage?.prompt_tokens ?? 0) > 0');
      assert.equal(response.headers.get('x-llmux-provider'), 'sim');
      assert.equal(response.headers.get('x-llmux-model'), 'demo');
    });

    it('streaming with usage', async () => {
      const chunks = await collect(
        await client.chat.completions.create({
          model: 'demo',
          messages: [{ role: 'user', content: prompt }],
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      assert.equal(contentOf(chunks), expected);
      assert.ok(chunks.length > 3, 'several content chunks');
      assert.ok(
        (chunks.at(-1)?.usage?.completion_tokens ?? 0) > 0,
        '(chunks.at(-1)?.usage?.completion_tokens ?? 0) > 0',
      );
      const streamedWithout = await collect(
        await client.chat.completions.create({
          model: 'demo',
          messages: [{ role: 'user', content: prompt }],
          stream: true,
        }),
      );
      assert.equal(contentOf(streamedWithout), expected);
      assert.ok(
        streamedWithout.every((chunk) => !chunk.usage),
        'streamedWithout.every((chunk) => !chunk.usage)',
      );
    });

    it('tools: a tool call with arguments sampled from the schema, streamed and not', async () => {
      const tools: OpenAI.Chat.ChatCompletionTool[] = [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, days: { type: 'integer' } },
              required: ['city'],
            },
          },
        },
      ];
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const completion = await client.chat.completions.create({ model: 'demo', messages, tools });
      const call = completion.choices[0]?.message.tool_calls?.[0];
      assert.ok(call && call.type === 'function', "call && call.type === 'function'");
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sample', days: 1 });
      assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');

      const streamed = await client.chat.completions.stream({ model: 'demo', messages, tools }).finalChatCompletion();
      const streamedCall = streamed.choices[0]?.message.tool_calls?.[0];
      assert.ok(streamedCall && streamedCall.type === 'function', "streamedCall && streamedCall.type === 'function'");
      assert.equal(streamedCall.function.arguments, call.function.arguments);

      const answer = await client.chat.completions.create({
        model: 'demo',
        tools,
        messages: [
          ...messages,
          { role: 'assistant', tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' },
        ],
      });
      assert.equal(answer.choices[0]?.message.content, 'The tool returned: sunny, 21C');
    });

    it('json_schema through chat.completions.parse', async () => {
      const Answer = z.object({ city: z.string(), temperature: z.number(), units: z.enum(['c', 'f']) });
      const parsed = await client.chat.completions.parse({
        model: 'demo',
        messages: [{ role: 'user', content: 'Weather in SF as JSON' }],
        response_format: zodResponseFormat(Answer, 'Location'),
      });
      assert.deepEqual(parsed.choices[0]?.message.parsed, { city: 'sample', temperature: 1, units: 'c' });
    });
  });
});
