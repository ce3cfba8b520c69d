/**
 * Operability (issue 8 item 10): `/v1/models` and `/v1/models/{id}`, a disabled model answered
 * 503 with the missing setting, CORS (preflight before auth, allow-origin on every answer),
 * `/health/ready`, the access log line and the failed-authentication count.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { failure, logRow } from './routing-support.ts';

const ALL_KEY = 'sk-llmux-all-models-key';
const CHAT_ONLY_KEY = 'sk-llmux-chat-only-key';
const ALLOWED_ORIGIN = 'https://app.example.com';
const OTHER_ORIGIN = 'https://evil.example.net';

function configFor(sim: Simulator, dataDir: string): string {
  return `
server: { cors: { origins: ["${ALLOWED_ORIGIN}"] } }
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))} }
router:
  cooldown: { failures: 1, windowMs: 10000, cooldownMs: 60000 }
  retry: { attempts: 1 }
providers:
  sim: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
  openai: { type: openai, apiKey: "\${OPENAI_API_KEY}" }
models:
  - name: chat
    deployments: [{ provider: sim, model: up-chat }]
  - name: local/*
    deployments: [{ provider: sim, model: "*" }]
  - name: gpt-4.1
    deployments: [{ provider: openai, model: gpt-4.1 }]
keys:
  - { name: all, key: ${ALL_KEY}, models: ["*"] }
  - { name: chat-only, key: ${CHAT_ONLY_KEY}, models: [chat] }
`;
}

describe('operability', () => {
  let sim: Simulator;
  let app: LlmuxApp;
  let url: string;
  let dataDir: string;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    sim = await startUpstreamSimulator();
    dataDir = mkdtempSync(join(tmpdir(), 'llmux-ops-'));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    const config = parseConfig(configFor(sim, dataDir), {}, 'operability.yaml');
    app = await createApp(config, { logger: createLogger('info', sink) });
    url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  });
  after(async () => {
    await app.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const client = (apiKey = ALL_KEY) => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers });
  const chat = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALL_KEY}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('/v1/models lists model ids, never a wildcard pattern; /v1/models/{id} answers one', async () => {
    const ids = (await client().models.list()).data.map((model) => model.id);
    assert.deepEqual(ids, ['chat'], 'only the enabled exact model; `local/*` is a pattern, gpt-4.1 is disabled');
    const one = await client().models.retrieve('chat');
    assert.equal(one.id, 'chat', 'a configured model is found');
    assert.equal(one.object, 'model', 'in the OpenAI shape');
    const served = await client().models.retrieve('local/qwen3-8b');
    assert.equal(served.id, 'local/qwen3-8b', 'a name the wildcard model serves is found');
  });

  it('/v1/models/{id}: 404 model_not_found in the OpenAI envelope when unknown or not allowed for the key', async () => {
    await assert.rejects(client().models.retrieve('no-such-model'), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError, 'a 404 the SDK recognises');
      assert.equal(error.code, 'model_not_found', 'the OpenAI error code');
      return true;
    });
    await assert.rejects(client(CHAT_ONLY_KEY).models.retrieve('local/qwen3-8b'), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError, 'a model outside the key allow-list is not revealed');
      return true;
    });
  });

  it('a model disabled for a missing provider key answers 503 naming the setting, not 404', async () => {
    const response = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(response.status, 503, 'the model is configured, just not usable');
    const body = (await response.json()) as { error: { message: string } };
    assert.match(
      body.error.message,
      /gpt-4\.1` is disabled: .*OPENAI_API_KEY/,
      'the message names the variable to set',
    );
    const narrow = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CHAT_ONLY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(narrow.status, 404, 'a key that may not use the model still gets 404');
  });

  it('model_not_found keeps the requested model name in the request log', async () => {
    const response = await chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(response.status, 404, 'unknown model');
    const row = await logRow({ app } as never, response.headers.get('x-request-id'));
    assert.equal(row.publicModel, 'no-such-model', 'the name asked for is recorded');
    assert.equal(row.errorCode, 'model_not_found', 'with its error code');
  });

  it('CORS preflight is answered before auth for an allowed origin, without allow headers for another', async () => {
    const preflight = (origin: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, x-stainless-os, x-stainless-new-thing',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    assert.equal(allowed.status, 204, 'preflight answered without a key');
    assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN, 'origin allowed');
    const allowHeaders = allowed.headers.get('access-control-allow-headers') ?? '';
    for (const name of ['authorization', 'content-type', 'x-api-key', 'x-goog-api-key', 'anthropic-version']) {
      assert.ok(allowHeaders.includes(name), `allow-headers lists ${name}`);
    }
    assert.ok(allowHeaders.includes('x-stainless-new-thing'), 'any x-stainless-* header asked for is allowed');
    assert.ok(allowed.headers.get('access-control-allow-methods')?.includes('POST'), 'POST allowed');
    const refused = await preflight(OTHER_ORIGIN);
    assert.equal(refused.headers.get('access-control-allow-origin'), null, 'another origin gets no allow-origin');
  });

  it('CORS allow-origin is on answers, errors and streams for an allowed origin only', async () => {
    const ask = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };
    sim.enqueue(openAIAnswer('hello'));
    const served = await chat(ask, { origin: ALLOWED_ORIGIN });
    assert.equal(served.status, 200, 'served');
    assert.equal(served.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN, 'on a served answer');
    assert.ok(served.headers.get('access-control-expose-headers')?.includes('x-request-id'), 'x-request-id readable');
    await served.text();

    sim.enqueue({ kind: 'sse-events', events: openAIStreamFrames(['he', 'llo']) });
    const streamed = await chat({ ...ask, stream: true }, { origin: ALLOWED_ORIGIN });
    assert.equal(streamed.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN, 'on a stream');
    assert.ok((await streamed.text()).includes('[DONE]'), 'the stream completes');

    const unauthenticated = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        origin: ALLOWED_ORIGIN,
        authorization: 'Bearer sk-wrong-key-000000',
        'content-type': 'application/json',
      },
      body: JSON.stringify(ask),
    });
    assert.equal(unauthenticated.status, 401, 'wrong key');
    assert.equal(unauthenticated.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN, 'on an error answer');

    sim.enqueue(openAIAnswer('hello'));
    const other = await chat(ask, { origin: OTHER_ORIGIN });
    assert.equal(other.status, 200, 'served (CORS is the browser enforcing it)');
    assert.equal(other.headers.get('access-control-allow-origin'), null, 'no allow-origin for another origin');
    await other.text();
  });

  it('one access-log line per request, at info, with id, key, model, status, latency and tokens', async () => {
    sim.enqueue(openAIAnswer('hello', { prompt_tokens: 11, completion_tokens: 7 }));
    const response = await chat({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    await response.text();
    const requestId = response.headers.get('x-request-id');
    await app.store.requestLog.flush();
    const access = lines.filter((line) => line.msg === 'request' && line.requestId === requestId);
    assert.equal(access.length, 1, 'exactly one access line');
    const [line] = access;
    assert.ok(line, 'the access line');
    assert.equal(line.level, 30, 'at info');
    assert.deepEqual(
      [line.keyName, line.model, line.status, line.inputTokens, line.outputTokens],
      ['all', 'chat', 200, 11, 7],
      'key name, model, status and tokens',
    );
    assert.equal(typeof line.latencyMs, 'number', 'latency');
  });

  it('failed authentications are logged at warn without the presented key, and counted', async () => {
    const before = (await (await get('/health/ready')).json()) as { failedAuthentications: number };
    const presented = 'sk-guessed-key-0123456789';
    const response = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${presented}` } });
    assert.equal(response.status, 401, 'refused');
    const after = (await (await get('/health/ready')).json()) as { failedAuthentications: number };
    assert.equal(after.failedAuthentications, before.failedAuthentications + 1, 'counted once');
    const requestId = response.headers.get('x-request-id');
    const warned = lines.find((line) => line.requestId === requestId && line.level === 40);
    assert.ok(warned, 'logged at warn');
    assert.ok(!JSON.stringify(lines).includes(presented), 'the presented key is in no log line');
  });

  it('/health is liveness; /health/ready is 200 while the store answers and a deployment is usable', async () => {
    const live = await get('/health');
    assert.equal(live.status, 200, 'liveness needs no key');
    const ready = await get('/health/ready');
    assert.equal(ready.status, 200, 'ready');
    const body = (await ready.json()) as { status: string; store: string; deployments: { usable: number } };
    assert.equal(body.status, 'ready', 'says ready');
    assert.equal(body.store, 'ok', 'store reachable');
    assert.equal(body.deployments.usable, 2, 'both deployments usable');
  });

  it('/health/ready is 503 once every deployment is cooling down', async () => {
    sim.setDefault(failure(500, 'upstream down'));
    // Enough failures to outweigh the earlier successes in the failure-rate window.
    for (const model of ['chat', 'local/qwen3-8b']) {
      for (let i = 0; i < 12; i++) {
        const response = await chat({ model, messages: [{ role: 'user', content: 'hi' }] });
        assert.ok(response.status >= 500, `${model} fails`);
        await response.text();
      }
    }
    const ready = await get('/health/ready');
    assert.equal(ready.status, 503, 'not ready');
    const body = (await ready.json()) as { problems: string[]; deployments: { usable: number } };
    assert.equal(body.deployments.usable, 0, 'no usable deployment');
    assert.ok(
      body.problems.some((problem) => problem.includes('cooling down')),
      'says what is wrong',
    );
  });

  it('/health/ready is 503 when the store does not answer', async () => {
    await app.store.close();
    const ready = await get('/health/ready');
    assert.equal(ready.status, 503, 'not ready');
    const body = (await ready.json()) as { store: string };
    assert.equal(body.store, 'unreachable', 'names the store');
  });
});
