/**
 * Routing works the same for translated deployments: an Anthropic deployment next to an
 * OpenAI-compatible one (retry across them both ways, context-window fallback, mid-stream error).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { APIError } from 'openai';
import {
  anthropicBlockStart,
  anthropicDelta,
  anthropicError,
  anthropicErrorEvent,
  anthropicFinish,
  anthropicMessageStart,
} from '../support/anthropic-steps.ts';
import { answer, counts, failure, logRow, type RoutingSetup, setup, USER } from './routing-support.ts';

const CONFIG = `
router:
  cooldown: { failures: 100, windowMs: 60000, cooldownMs: 5000 }
  retry: { attempts: 2, backoffMs: 10, maxBackoffMs: 20, maxRetryAfterMs: 1000 }
models:
  - name: claude-first
    strategy: priority
    fallbacks: [backup]
    deployments: [{ provider: claude, model: claude-test }, { provider: oai, model: gpt-test }]
  - name: openai-first
    strategy: priority
    deployments: [{ provider: oai, model: gpt-test }, { provider: claude, model: claude-test }]
  - name: backup
    deployments: [{ provider: spare, model: spare-test }]
`;

/** Its input tokens are what the usage assertions look for. */
const messageStart = anthropicMessageStart({ input_tokens: 11, output_tokens: 1 });

describe('routing: translated (Anthropic) deployments', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('an overloaded Anthropic deployment (529) is retried on the OpenAI-compatible one', async () => {
    env = await setup(['claude:anthropic', 'oai', 'spare'], CONFIG);
    env.sims.claude?.enqueue(anthropicError(529, 'Overloaded'));
    env.sims.oai?.enqueue(answer('openai answered'));
    const { data, response } = await env.client.chat.completions
      .create({ model: 'claude-first', messages: USER })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'openai answered');
    assert.equal(response.headers.get('x-llmux-provider'), 'oai');
    assert.equal(response.headers.get('x-llmux-attempts'), '2');
    assert.deepEqual(counts(env.sims), { claude: 1, oai: 1, spare: 0 });
    assert.equal(env.sims.claude?.requests[0]?.path, '/v1/messages');
  });

  it('an OpenAI-compatible failure is retried on Anthropic, streamed through translation', async () => {
    env = await setup(['claude:anthropic', 'oai', 'spare'], CONFIG);
    env.sims.oai?.enqueue(failure(502, 'bad gateway'));
    env.sims.claude?.enqueue({
      kind: 'sse-events',
      events: [messageStart, anthropicBlockStart, anthropicDelta('Hi'), anthropicDelta(' there'), ...anthropicFinish()],
    });
    const { data: stream, response } = await env.client.chat.completions
      .create({ model: 'openai-first', messages: USER, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let content = '';
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(content, 'Hi there');
    assert.equal(usage?.prompt_tokens, 11);
    assert.equal(usage?.completion_tokens, 2);
    assert.equal(response.headers.get('x-llmux-provider'), 'claude');
    assert.deepEqual(counts(env.sims), { claude: 1, oai: 1, spare: 0 });
    const row = await logRow(env.llmux, response.headers.get('x-request-id'));
    assert.equal(row.provider, 'claude');
    assert.equal(row.attempts, 2);
    assert.equal(row.inputTokens, 11);
  });

  it('Anthropic "prompt is too long" → context_length_exceeded → the fallback model answers at once', async () => {
    env = await setup(['claude:anthropic', 'oai', 'spare'], CONFIG);
    env.sims.claude?.enqueue(anthropicError(400, 'prompt is too long: 250000 tokens > 200000 maximum'));
    env.sims.spare?.enqueue(answer('the spare has a bigger window'));
    const { data, response } = await env.client.chat.completions
      .create({ model: 'claude-first', messages: USER })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'the spare has a bigger window');
    assert.equal(response.headers.get('x-llmux-fallback'), 'claude-first, backup');
    assert.deepEqual(counts(env.sims), { claude: 1, oai: 0, spare: 1 });
  });

  it('an Anthropic error event after the first byte ends the stream with an OpenAI error event, no retry', async () => {
    env = await setup(['claude:anthropic', 'oai', 'spare'], CONFIG);
    env.sims.claude?.enqueue({
      kind: 'sse-events',
      events: [messageStart, anthropicBlockStart, anthropicDelta('Partial'), anthropicErrorEvent()],
      // Apart, so that the text reaches the client first (in one read, nothing would have been sent
      // yet and llmux would rightly retry elsewhere).
      delayMs: 60,
    });
    const stream = await env.client.chat.completions.create({ model: 'claude-first', messages: USER, stream: true });
    let content = '';
    let error: unknown;
    try {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    } catch (thrown) {
      error = thrown;
    }
    assert.equal(content, 'Partial');
    assert.ok(error instanceof APIError, String(error));
    assert.match(error.message, /Overloaded/);
    assert.deepEqual(counts(env.sims), { claude: 1, oai: 0, spare: 0 });
  });

  it('an Anthropic error event before anything reached the client is retried on the next deployment', async () => {
    env = await setup(['claude:anthropic', 'oai', 'spare'], CONFIG);
    env.sims.claude?.enqueue({
      kind: 'sse-events',
      events: [messageStart, anthropicErrorEvent()],
    });
    env.sims.oai?.enqueue({
      kind: 'sse',
      body: 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"from oai"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
    });
    const stream = await env.client.chat.completions.create({ model: 'claude-first', messages: USER, stream: true });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    assert.equal(content, 'from oai');
    assert.deepEqual(counts(env.sims), { claude: 1, oai: 1, spare: 0 });
  });
});
