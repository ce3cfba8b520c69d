/**
 * Issue 12 item 7: an upstream that echoes a credential (the provider key llmux sent, or the
 * client's llmux key) in any error field must not get it to the client or into the log: unary
 * errors, errors before a stream started, passthrough mid-stream error frames, translated
 * mid-stream error events, and the error line llmux logs for a 5xx.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { type Simulator, type Step, startUpstreamSimulator } from '../support/upstream-simulator.ts';

// None of these is key-shaped (no `sk-`, `AIza`): only knowing the configured secrets catches them.
const COMPAT_KEY = 'compat-upstream-secret-7f3a9';
const GEMINI_KEY = 'gemini-upstream-secret-51c2e';
const ANTHROPIC_KEY = 'anthropic-upstream-secret-9d04b';
const CLIENT_KEY = 'llmux-client-secret-2b8e6';
const SECRETS = [COMPAT_KEY, GEMINI_KEY, ANTHROPIC_KEY, CLIENT_KEY];

/** An OpenAI-style error object with `secret` in every field. */
const echoingError = (secret: string) => ({
  message: `Incorrect API key provided: ${secret}; client sent ${CLIENT_KEY}`,
  type: `invalid_key_${secret}`,
  param: `api_key=${secret}`,
  code: `bad_key_${secret}`,
});

const geminiEchoingError = (status: number) => ({
  error: {
    code: status,
    message: `key ${GEMINI_KEY} rejected`,
    status: `UNAVAILABLE_${GEMINI_KEY}`,
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: `KEY_${GEMINI_KEY}`,
        domain: 'googleapis.com',
        metadata: { key: GEMINI_KEY, client: CLIENT_KEY },
      },
    ],
  },
});

const sseFrame = (data: unknown, event?: string): string =>
  `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
const compatChunk = (content: string) =>
  sseFrame({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'up',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });

describe('credentials echoed by an upstream never reach the client or the log', () => {
  let sim: Simulator;
  let app: LlmuxApp;
  let url: string;
  let dataDir: string;
  const logLines: string[] = [];

  before(async () => {
    sim = await startUpstreamSimulator();
    dataDir = mkdtempSync(join(tmpdir(), 'llmux-redaction-'));
    const config = parseConfig(
      `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))} }
providers:
  local: { type: openai-compatible, apiKey: ${COMPAT_KEY}, baseUrl: "${sim.url}/v1" }
  google: { type: gemini, apiKey: ${GEMINI_KEY}, baseUrl: "${sim.url}" }
  claude: { type: anthropic, apiKey: ${ANTHROPIC_KEY}, baseUrl: "${sim.url}" }
models:
  - { name: compat, deployments: [{ provider: local, model: up }] }
  - { name: gem, deployments: [{ provider: google, model: gemini-2.5-flash }] }
  - { name: claude, deployments: [{ provider: claude, model: claude-sonnet-4-5 }] }
keys:
  - { name: test, key: ${CLIENT_KEY}, models: ["*"] }
`,
      {},
      'redaction-test.yaml',
    );
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await createApp(config, { logger: createLogger('info', sink) });
    url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  });
  after(async () => {
    await app?.close();
    await sim?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    sim.reset();
    assertClean(logLines.join(''), 'log');
  });

  function assertClean(text: string, where: string): void {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} leaks ${secret}:\n${text}`);
  }

  async function chat(model: string, stream: boolean): Promise<{ status: number; body: string }> {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: `my key is ${CLIENT_KEY}` }] }),
    });
    const body = await response.text();
    assertClean(body + JSON.stringify([...response.headers]), `${model} response (stream: ${stream})`);
    return { status: response.status, body };
  }

  const errorLogged = (status: number) =>
    logLines.some((line) => line.includes('"level":50') && line.includes(`"status":${status}`));

  for (const stream of [false, true]) {
    it(`OpenAI-compatible 400 and 500 with the key in message, type, param and code (stream: ${stream})`, async () => {
      sim.enqueue(
        { kind: 'json', status: 400, body: { error: echoingError(COMPAT_KEY) } },
        { kind: 'json', status: 500, body: { error: echoingError(COMPAT_KEY) } },
      );
      const bad = await chat('compat', stream);
      assert.equal(bad.status, 400, bad.body);
      const envelope = JSON.parse(bad.body) as { error: Record<string, string> };
      assert.equal(envelope.error.param, 'api_key=[redacted]', 'the field is kept, the secret removed');
      const failed = await chat('compat', stream);
      assert.equal(failed.status, 500, failed.body);
      assert.ok(errorLogged(500), `the 5xx is logged:\n${logLines.join('')}`);
    });

    it(`Gemini 500 with the key in status, ErrorInfo reason and metadata (stream: ${stream})`, async () => {
      sim.enqueue({ kind: 'json', status: 500, body: geminiEchoingError(500) });
      const failed = await chat('gem', stream);
      assert.equal(failed.status, 500, failed.body);
      assert.ok(errorLogged(500), `the 5xx is logged:\n${logLines.join('')}`);
    });
  }

  it('passthrough stream: a mid-stream error frame echoing the keys is forwarded redacted', async () => {
    const step: Step = {
      kind: 'sse-events',
      events: [compatChunk('hello'), sseFrame({ error: echoingError(COMPAT_KEY) }), 'data: [DONE]\n\n'],
    };
    sim.enqueue(step);
    const { status, body } = await chat('compat', true);
    assert.equal(status, 200, body);
    assert.ok(body.includes('"content":"hello"'), `text before the error is forwarded: ${body}`);
    assert.ok(body.includes('"param":"api_key=[redacted]"'), `the error frame is forwarded, redacted: ${body}`);
  });

  it('passthrough stream: an error as the last, unterminated frame is redacted too', async () => {
    sim.enqueue({
      kind: 'sse',
      body: `${compatChunk('hello')}data: ${JSON.stringify({ error: echoingError(COMPAT_KEY) })}`,
    });
    const { status, body } = await chat('compat', true);
    assert.equal(status, 200, body);
    assert.ok(body.includes('"code":"bad_key_[redacted]"'), `the error frame is forwarded, redacted: ${body}`);
  });

  it('Gemini stream: a mid-stream error with the key in its reason becomes a redacted error event', async () => {
    const text = { candidates: [{ content: { role: 'model', parts: [{ text: 'hello' }] }, index: 0 }] };
    // Frames 20 ms apart, so the text reaches the client before the error does.
    sim.enqueue({ kind: 'sse-events', delayMs: 20, events: [sseFrame(text), sseFrame(geminiEchoingError(503))] });
    const { status, body } = await chat('gem', true);
    assert.equal(status, 200, body);
    assert.ok(body.includes('"error"'), `the error event reaches the client: ${body}`);
  });

  it("Anthropic stream: a mid-stream error echoing the client's key becomes a redacted error event", async () => {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [] };
    sim.enqueue({
      kind: 'sse-events',
      delayMs: 20,
      events: [
        sseFrame(
          { type: 'message_start', message: { ...message, usage: { input_tokens: 1, output_tokens: 0 } } },
          'message_start',
        ),
        sseFrame(
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
          'content_block_start',
        ),
        sseFrame(
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hello' } },
          'content_block_delta',
        ),
        sseFrame({ type: 'error', error: { type: 'api_error', message: `you sent ${CLIENT_KEY}` } }, 'error'),
      ],
    });
    const { status, body } = await chat('claude', true);
    assert.equal(status, 200, body);
    assert.ok(body.includes('you sent [redacted]'), `the error event reaches the client, redacted: ${body}`);
  });
});
