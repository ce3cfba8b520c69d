/**
 * End to end, failures and adjustments: the official `openai` SDK (v6) → llmux → a local Gemini
 * stand-in serving recorded Gemini error bodies, safety blocks and a stream broken mid-way.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { APIError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { geminiJsonStep, geminiSseStep } from '../support/gemini-replay.ts';
import { collectChunks, rejection } from '../support/sdk-helpers.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const GEMINI_KEY = 'test-gemini-key';
const FB = 'gemini/firebase-vertexai-sdk-test-data';

describe('openai SDK → llmux → Gemini: errors, blocks, warnings', () => {
  let gateway: Gateway | undefined;
  let sim: Simulator;
  let client: OpenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: { type: 'gemini', apiKey: GEMINI_KEY } },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gemini-flash
    deployments: [{ provider: google, model: gemini-2.5-flash }]
  # Any 429 opens the deployment's circuit (issue 4): the 429 test has a deployment of its own.
  - name: gemini-limited
    deployments: [{ provider: google, model: gemini-2.5-flash }]
  # A refused provider key opens its circuit at once too.
  - name: gemini-bad-key
    deployments: [{ provider: google, model: gemini-2.5-flash }]
`,
    });
    sim = simOf(gateway, 'google');
    client = gateway.client;
  });
  after(() => gateway?.close());
  afterEach(() => sim.reset());

  it('safety: a blocked prompt (stream) and a blocked candidate (JSON) finish with content_filter', async () => {
    sim.enqueue(geminiSseStep(`${FB}/googleai/streaming-failure-prompt-blocked-safety.txt`));
    const chunks = await collectChunks(
      await client.chat.completions.create({
        model: 'gemini-flash',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }),
    );
    assert.equal(chunks.flatMap((c) => c.choices).find((c) => c.finish_reason)?.finish_reason, 'content_filter');
    sim.enqueue(geminiJsonStep('gemini/pydantic-ai/test_google_model_safety_settings.yaml'));
    const data = await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(data.choices[0]?.finish_reason, 'content_filter');
    assert.equal(data.choices[0]?.message.content, '');
  });

  it('adjustments are listed in x-llmux-warnings', async () => {
    sim.enqueue(geminiJsonStep(`${FB}/googleai/unary-success-basic-reply-short.json`));
    const { response } = await client.chat.completions
      .create({
        model: 'gemini-flash',
        messages: [{ role: 'user', content: 'x' }],
        stop: ['1', '2', '3', '4', '5', '6'],
      })
      .withResponse();
    assert.equal(
      response.headers.get('x-llmux-warnings'),
      'stop: Gemini takes at most 5 sequences; only the first 5 were sent',
    );
  });

  it("errors: API_KEY_INVALID → 502 upstream_auth_failed (llmux's key), 429 RetryInfo → RateLimitError with retry-after, 404 → NotFoundError", async () => {
    sim.enqueue(geminiJsonStep(`${FB}/googleai/unary-failure-api-key.json`));
    const auth = await rejection(
      client.chat.completions.create({ model: 'gemini-bad-key', messages: [{ role: 'user', content: 'x' }] }),
      InternalServerError,
    );
    assert.equal(auth.status, 502);
    assert.equal(auth.code, 'upstream_auth_failed');
    assert.match(auth.message, /Provider "google" rejected the credentials/);

    sim.enqueue(geminiJsonStep('gemini/vercel-ai/google-429-retry-info.json'));
    const limited = await rejection(
      client.chat.completions.create({ model: 'gemini-limited', messages: [{ role: 'user', content: 'x' }] }),
      RateLimitError,
    );
    assert.equal(limited.headers?.get('retry-after'), '35');
    assert.equal(limited.code, 'rate_limit_exceeded');

    sim.enqueue(geminiJsonStep('gemini/js-genai/Chats_Tests_sendMessage_Send_message_stream_with_error.json'));
    const missing = await rejection(
      client.chat.completions.create({
        model: 'gemini-flash',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }),
      NotFoundError,
    );
    assert.equal(missing.code, 'model_not_found');
  });

  it('an error in the middle of a stream reaches the SDK as an APIError after the text already sent', async () => {
    sim.enqueue(geminiSseStep(`${FB}/vertexai/streaming-failure-error-mid-stream.txt`));
    const stream = await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    let text = '';
    const failure = await rejection(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      APIError,
    );
    assert.equal(text, 'First Second ');
    assert.match(failure.message, /cancelled/);
  });
});
