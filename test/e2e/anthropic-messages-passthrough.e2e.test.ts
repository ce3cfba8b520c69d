/**
 * `@anthropic-ai/sdk` and Claude Code's recorded requests → llmux's Anthropic Messages surface →
 * an Anthropic deployment (a simulator replaying recorded Anthropic traffic). The body goes
 * through with only `model` rewritten, the client's `anthropic-version` / `anthropic-beta` are
 * forwarded, the answer's bytes come back unchanged, and usage is read for the request log.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicJsonStep, anthropicSseStep } from '../support/anthropic-replay.ts';
import {
  ANTHROPIC_UPSTREAM_KEY,
  type AnthropicSurfaceSetup,
  claudeCodeRequests,
  jsonOf,
  replayClaudeCode,
  startAnthropicSurface,
} from '../support/anthropic-surface.ts';
import { readFixture } from '../support/fixture-paths.ts';

const TOOL_STREAM = 'anthropic/anthropic-sdk-typescript/tool_use_response.txt';
const THINKING_STREAM = 'anthropic/pydantic-ai/test_anthropic_model_thinking_part_stream.yaml';

describe('Anthropic Messages surface → Anthropic deployment (passthrough)', () => {
  let setup: AnthropicSurfaceSetup;

  before(async () => {
    setup = await startAnthropicSurface();
  });
  after(() => setup.close());
  afterEach(() => {
    assert.equal(setup.claude.pendingSteps(), 0, 'every scripted upstream step was used');
    setup.claude.reset();
    assert.equal(setup.local.requests.length, 0, 'nothing went to the OpenAI-compatible deployment');
  });

  it('messages.create: the recorded message comes back as sent, usage logged', async () => {
    setup.claude.enqueue(anthropicJsonStep('anthropic/vercel-ai/anthropic-text.json'));
    const { data, response } = await setup.anthropic.messages
      .create({
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 100,
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hello' }],
        metadata: { user_id: 'user-1' },
      })
      .withResponse();
    const recorded = JSON.parse(readFixture('anthropic/vercel-ai/anthropic-text.json').toString('utf8'));
    assert.deepEqual(JSON.parse(JSON.stringify(data)), recorded, 'the upstream message, unchanged');
    const upstream = setup.claude.requests.at(-1);
    assert.equal(upstream?.path, '/v1/messages', 'sent to the Messages endpoint');
    assert.equal(upstream?.headers['x-api-key'], ANTHROPIC_UPSTREAM_KEY, "the deployment's key, not the client's");
    // The SDK sends its own (newer) version; it goes on as sent (Claude Code's 2023-06-01: below).
    const version = String(upstream?.headers['anthropic-version']);
    assert.notEqual(version, '2023-06-01', "the client's anthropic-version forwarded");
    assert.match(version, /^\d{4}-\d{2}-\d{2}$/, 'a version date');
    assert.deepEqual(
      jsonOf(setup.claude),
      {
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 100,
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hello' }],
        metadata: { user_id: 'user-1' },
      },
      'the body as the client sent it',
    );
    const row = await setup.logRow(response.headers.get('x-request-id') ?? '');
    assert.equal(row.surface, 'anthropic-messages', 'surface recorded');
    assert.equal(row.inputTokens, 12, 'input tokens from the body');
    assert.equal(row.outputTokens, 29, 'output tokens from the body');
  });

  it('messages.stream with a tool call: the recorded bytes come back unchanged', async () => {
    setup.claude.enqueue(anthropicSseStep(TOOL_STREAM));
    const stream = setup.anthropic.beta.messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 1024,
      betas: ['interleaved-thinking-2025-05-14'],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const message = await stream.finalMessage();
    const tool = message.content.find((block) => block.type === 'tool_use');
    assert.ok(tool && tool.type === 'tool_use', 'a tool_use block');
    assert.equal(tool.name, 'get_weather');
    assert.ok(typeof (tool.input as { location?: unknown }).location === 'string', 'input parsed from the deltas');
    assert.equal(message.stop_reason, 'tool_use');
    const upstream = setup.claude.requests.at(-1);
    assert.equal(upstream?.headers['anthropic-beta'], 'interleaved-thinking-2025-05-14', 'anthropic-beta forwarded');

    setup.claude.enqueue(anthropicSseStep(TOOL_STREAM));
    const raw = await fetch(`${setup.gateway.llmux.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'x-api-key': setup.gateway.llmux.apiKey,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        model: 'claude-opus-4-8',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    assert.equal(raw.status, 200);
    assert.match(raw.headers.get('content-type') ?? '', /text\/event-stream/, 'a stream whatever Accept says');
    assert.equal(await raw.text(), readFixture(TOOL_STREAM).toString('utf8'), 'byte for byte');
    const row = await setup.logRow(raw.headers.get('x-request-id') ?? '');
    assert.equal(row.inputTokens, 377, 'input tokens from message_start');
    assert.equal(row.outputTokens, 65, 'output tokens from message_delta');
  });

  it('messages.stream with thinking: thinking and its signature arrive', async () => {
    setup.claude.enqueue(anthropicSseStep(THINKING_STREAM));
    const message = await setup.anthropic.messages
      .stream({
        model: 'claude-sonnet-4-0',
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'How do I cross the street?' }],
      })
      .finalMessage();
    const thinking = message.content[0];
    assert.ok(thinking?.type === 'thinking', 'thinking block first');
    assert.match(thinking.thinking, /pedestrian safety/, 'thinking text');
    assert.ok(thinking.signature.startsWith('EvMC'), 'signature kept');
    assert.ok(
      message.content.some((block) => block.type === 'text'),
      'then text',
    );
    assert.deepEqual(jsonOf(setup.claude).thinking, { type: 'enabled', budget_tokens: 1024 }, 'thinking sent as is');
  });

  it('an upstream 529 reaches the SDK as an overloaded_error', async () => {
    setup.claude.enqueue({
      kind: 'json',
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    await assert.rejects(
      setup.anthropic.messages.create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError, 'an SDK APIError');
        assert.equal(error.status, 529, 'status 529');
        assert.equal((error.error as { error?: { type?: string } }).error?.type, 'overloaded_error');
        return true;
      },
    );
  });

  it("Claude Code's recorded tool loop with thinking goes through untouched", async () => {
    const turns = claudeCodeRequests('04-tool-read-with-thinking');
    assert.equal(turns.length, 2, 'two recorded turns');
    for (const turn of turns) {
      setup.claude.enqueue({ kind: 'sse-events', events: turn.frames });
      const response = await replayClaudeCode(setup, turn);
      assert.equal(response.status, 200, await response.clone().text());
      assert.equal(await response.text(), turn.frames.join(''), 'the recorded frames, byte for byte');
      const upstream = setup.claude.requests.at(-1);
      assert.deepEqual(upstream?.json, JSON.parse(turn.body), 'the recorded body, unchanged (same model)');
      assert.equal(upstream?.headers['anthropic-beta'], turn.headers['anthropic-beta'], 'all betas forwarded');
      assert.equal(upstream?.headers['anthropic-version'], turn.headers['anthropic-version'], 'version forwarded');
    }
    const second = jsonOf(setup.claude);
    const assistant = (second.messages as { role: string; content: { type: string }[] }[]).find(
      (message) => message.role === 'assistant',
    );
    assert.equal(assistant?.content[0]?.type, 'thinking', 'the signed thinking block went back first');
  });

  it('count_tokens answers input_tokens for a Claude model (upstream failing: the tokenizer counts)', async () => {
    const counted = await setup.anthropic.messages.countTokens({
      model: 'claude-sonnet-4-5',
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Count the tokens of this sentence, please.' }],
    });
    assert.ok(counted.input_tokens > 5 && counted.input_tokens < 40, `a plausible count (${counted.input_tokens})`);
    // Nothing scripted: the simulator's 500 makes llmux count (test/e2e/anthropic-count-tokens.e2e.test.ts covers the passthrough).
    assert.equal(setup.claude.requests.at(-1)?.path, '/v1/messages/count_tokens', 'asked the upstream first');
  });
});
