/**
 * End to end, failures: the official `openai` SDK → llmux → a local Anthropic simulator answering
 * with Anthropic error bodies (recorded ones where they exist), mid-stream error events and cut
 * streams. The SDK must raise its error classes with the upstream status, and never hang.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { APIError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { startAnthropicLlmux } from '../support/anthropic-llmux.ts';
import { anthropicJsonStep, anthropicSseStep } from '../support/anthropic-replay.ts';
import { toEventsStep } from '../support/replay-common.ts';
import { type ChatChunk, contentOf, rejection } from '../support/sdk-helpers.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const VA = 'anthropic/vercel-ai';
const PA = 'anthropic/pydantic-ai';

/** Error bodies in Anthropic's shape (401/429/529 bodies are only known from issue reports; see PROVENANCE gaps). */
const anthropicError = (type: string, message: string) => ({
  type: 'error',
  error: { type, message },
  request_id: 'req_011CTest',
});

describe('openai SDK → llmux → Anthropic: errors', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  before(async () => {
    ({ sim, llmux, client } = await startAnthropicLlmux(`
  - name: claude
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  # A 429 with retry-after cools its deployment down (router): it gets a deployment of its own.
  - name: claude-rate-limited
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-5-20250929 }]
  # So does a refused provider key.
  - name: claude-bad-key
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
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

  it("401 authentication_error → 502 upstream_auth_failed naming the provider (llmux's key, not the client's)", async () => {
    sim.enqueue({ kind: 'json', status: 401, body: anthropicError('authentication_error', 'invalid x-api-key') });
    const error = await rejection(
      client.chat.completions.create({ model: 'claude-bad-key', messages: [{ role: 'user', content: 'x' }] }),
      InternalServerError,
    );
    assert.equal(error.status, 502);
    assert.equal(error.code, 'upstream_auth_failed');
    assert.match(error.message, /Provider "claude" rejected the credentials/);
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
    assert.ok(step.kind === 'sse-events', "step.kind === 'sse-events'");
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
    assert.ok(step.kind === 'sse-events', "step.kind === 'sse-events'");
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
      assert.ok(contentOf(seen).length > 0, 'contentOf(seen).length > 0');
    });
  }
});
