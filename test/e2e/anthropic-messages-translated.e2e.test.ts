/**
 * `@anthropic-ai/sdk` and Claude Code's recorded requests → llmux's Anthropic Messages surface →
 * an OpenAI-compatible deployment: the request is translated through the canonical model and
 * the answer rendered as an Anthropic message or event stream (message_start, content blocks with
 * their start/stop, message_delta with usage, message_stop), errors in Anthropic's envelope.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import {
  type AnthropicSurfaceSetup,
  claudeCodeRequests,
  eventNames,
  jsonOf,
  replayClaudeCode,
  startAnthropicSurface,
} from '../support/anthropic-surface.ts';
import { openAIAnswer, openAIChunk, openAIStreamFrames, openAIUsageChunk } from '../support/openai-steps.ts';

const MODEL = 'local-model';
const DONE = 'data: [DONE]\n\n';

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
    DONE,
  ];
}

describe('Anthropic Messages surface → OpenAI-compatible deployment (translated)', () => {
  let setup: AnthropicSurfaceSetup;

  before(async () => {
    setup = await startAnthropicSurface();
  });
  after(() => setup.close());
  afterEach(() => {
    assert.equal(setup.local.pendingSteps(), 0, 'every scripted upstream step was used');
    setup.local.reset();
  });

  it('messages.create: an Anthropic message with usage; system, stop and sampling translated', async () => {
    setup.local.enqueue(openAIAnswer('Hello there', { prompt_tokens: 21, completion_tokens: 3 }));
    // This SDK version's types leave `temperature` out (newest models reject it); the API takes it.
    const sampling = { temperature: 0.5 };
    const message = await setup.anthropic.messages.create({
      model: MODEL,
      max_tokens: 200,
      system: 'Be brief.',
      stop_sequences: ['END'],
      ...sampling,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }] }],
    });
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.model, MODEL, 'the model asked for');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hello there' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.input_tokens, 21);
    assert.equal(message.usage.output_tokens, 3);
    const upstream = jsonOf(setup.local);
    assert.equal(upstream.model, 'qwen-local');
    assert.deepEqual(upstream.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    assert.equal(upstream.max_completion_tokens, 200);
    assert.deepEqual(upstream.stop, ['END']);
    assert.equal(upstream.temperature, 0.5);
  });

  it('messages.stream with a tool call: tool_use block with its input, stop_reason tool_use', async () => {
    setup.local.enqueue({ kind: 'sse-events', events: toolCallFrames() });
    const stream = setup.anthropic.messages.stream({
      model: MODEL,
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const message = await stream.finalMessage();
    assert.deepEqual(message.content, [
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    assert.equal(message.stop_reason, 'tool_use');
    assert.equal(message.usage.input_tokens, 40, 'input usage from message_delta');
    assert.equal(message.usage.output_tokens, 12);
    const upstream = jsonOf(setup.local);
    assert.equal(upstream.tool_choice, 'required', 'any → required');
    assert.equal(upstream.parallel_tool_calls, false, 'disable_parallel_tool_use → parallel_tool_calls false');
    assert.deepEqual(upstream.stream_options, { include_usage: true });
  });

  it('messages.stream with thinking: reasoning becomes a thinking block before the text', async () => {
    setup.local.enqueue({
      kind: 'sse-events',
      events: [
        openAIChunk({ role: 'assistant', reasoning_content: 'Let me ' }),
        openAIChunk({ reasoning_content: 'think.' }),
        ...openAIStreamFrames(['The answer', ' is 4.'], { prompt_tokens: 9, completion_tokens: 7 }),
      ],
    });
    const events: string[] = [];
    const stream = setup.anthropic.messages.stream({
      model: MODEL,
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: '2+2?' }],
    });
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    assert.deepEqual(message.content, [
      // An OpenAI model's reasoning has no signature: llmux's carrier marks the block as its own.
      { type: 'thinking', thinking: 'Let me think.', signature: 'llmux1.e30' },
      { type: 'text', text: 'The answer is 4.' },
    ]);
    assert.deepEqual(
      events.filter((type) => type !== 'content_block_delta'),
      [
        'message_start',
        'content_block_start',
        'content_block_stop',
        'content_block_start',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ],
    );
    assert.equal(jsonOf(setup.local).reasoning_effort, 'low', 'a 2048-token budget asks for low effort');
  });

  it('a tool loop: tool_use and tool_result (with an image) become tool_calls and a tool message', async () => {
    setup.local.enqueue(openAIAnswer('It is sunny.'));
    await setup.anthropic.messages.create({
      model: MODEL,
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'sunny' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              ],
            },
          ],
        },
      ],
    });
    const messages = jsonOf(setup.local).messages as Record<string, unknown>[];
    assert.deepEqual(messages[1], {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    assert.equal(messages[2]?.role, 'tool');
    assert.equal(messages[2]?.tool_call_id, 'toolu_1');
    assert.equal(messages.length, 3, 'no empty user message after the tool result');
  });

  it("Claude Code's recorded requests are served, with every block started and stopped", async () => {
    for (const run of ['04-tool-read-with-thinking', '07-tool-read-image', 'model-claude-sonnet-4-5']) {
      for (const turn of claudeCodeRequests(run)) {
        setup.local.enqueue({ kind: 'sse-events', events: toolCallFrames() });
        const body = JSON.stringify({ ...JSON.parse(turn.body), model: MODEL });
        const response = await replayClaudeCode(setup, turn, body);
        const text = await response.text();
        assert.equal(response.status, 200, `${run}: ${text.slice(0, 300)}`);
        assert.match(response.headers.get('x-llmux-warnings') ?? '', /context_management ignored/, `${run}: warned`);
        const names = eventNames(text);
        assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start'], run);
        assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop'], run);
        const upstream = jsonOf(setup.local);
        const messages = upstream.messages as { role: string }[];
        assert.equal(messages[0]?.role, 'system', `${run}: system blocks first`);
        assert.ok((upstream.tools as unknown[]).length >= 10, `${run}: Claude Code's tools declared`);
      }
    }
  });

  it('a stream that fails midway ends with an Anthropic error event', async () => {
    setup.local.enqueue({
      kind: 'sse-events',
      events: [openAIChunk({ role: 'assistant', content: 'Hel' })],
      thenError: 'close',
    });
    const response = await fetch(`${setup.gateway.llmux.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${setup.gateway.llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const text = await response.text();
    assert.deepEqual(eventNames(text).slice(0, 4), [
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
    ]);
    assert.equal(eventNames(text).at(-1), 'error', 'the last event is an error');
    const last = text.trim().split('\n').at(-1) ?? '';
    const payload = JSON.parse(last.replace(/^data: /, ''));
    assert.equal(payload.type, 'error');
    assert.equal(typeof payload.error.type, 'string');
  });

  describe("errors in Anthropic's envelope", () => {
    async function post(
      body: unknown,
      key = setup.gateway.llmux.apiKey,
    ): Promise<{ status: number; json: Record<string, unknown> }> {
      const response = await fetch(`${setup.gateway.llmux.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    }
    const ok = { model: MODEL, max_tokens: 10, messages: [{ role: 'user' as const, content: 'x' }] };

    it('a bad key: 401 authentication_error', async () => {
      await assert.rejects(
        new Anthropic({ apiKey: 'sk-wrong', baseURL: setup.gateway.llmux.url, maxRetries: 0 }).messages.create(ok),
        (error: unknown) => error instanceof Anthropic.AuthenticationError,
      );
      const { status, json } = await post(ok, 'sk-wrong');
      assert.equal(status, 401);
      assert.equal(json.type, 'error');
      assert.equal((json.error as { type: string }).type, 'authentication_error');
    });

    it('a missing max_tokens, a bad block, an unknown model, a server tool on a translated model', async () => {
      const cases: [unknown, number, string, RegExp][] = [
        [{ ...ok, max_tokens: undefined }, 400, 'invalid_request_error', /^max_tokens: Field required/],
        [
          { ...ok, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64' } }] }] },
          400,
          'invalid_request_error',
          /messages\.0\.content\.0\.source\.media_type/,
        ],
        [{ ...ok, model: 'nope' }, 404, 'not_found_error', /nope/],
        [
          { ...ok, tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
          400,
          'invalid_request_error',
          /^tools\.0: the server tool/,
        ],
        [{ ...ok, top_k: 5 }, 400, 'invalid_request_error', /'top_k' is not supported/],
        [
          { ...ok, mcp_servers: [{ type: 'url', url: 'https://x', name: 'x' }] },
          400,
          'invalid_request_error',
          /'mcp_servers'/,
        ],
      ];
      for (const [body, status, type, message] of cases) {
        const answer = await post(body);
        assert.equal(answer.status, status, JSON.stringify(answer.json));
        assert.equal((answer.json.error as { type: string }).type, type);
        assert.match((answer.json.error as { message: string }).message, message);
      }
      assert.equal(setup.local.requests.length, 0, 'nothing sent upstream');
    });
  });
});
