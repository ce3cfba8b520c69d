/**
 * Client input that used to reach an upstream (or crash a response) is refused up front with a 400
 * in the OpenAI envelope naming the field, and no upstream is called (issue 12, items 6 and 9):
 * wildcard model names that would escape the Gemini model path or break a response header, bodies
 * nested too deep to re-serialise, header-bound values with CR/LF, integers beyond their range and
 * `n` above `server.maxChoices`.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI, { BadRequestError } from 'openai';
import { geminiJsonStep } from '../support/gemini-replay.ts';
import { rejection } from '../support/sdk-helpers.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { answer } from './routing-support.ts';

const GEMINI_REPLY = 'gemini/firebase-vertexai-sdk-test-data/googleai/unary-success-basic-reply-short.json';
const USER = [{ role: 'user', content: 'hi' }];

interface Answer {
  status: number;
  body: { error?: { message?: string; type?: string; param?: string | null; code?: string | null } };
}

describe('client input refused before any upstream call', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  /** POSTs a raw JSON text (so that it can hold what JSON.stringify would not write). */
  async function post(json: string): Promise<Answer> {
    const response = await fetch(`${llmux.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llmux.apiKey}`, 'content-type': 'application/json' },
      body: json,
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  function assertRefused(answer: Answer, param: string, what: string): void {
    assert.equal(answer.status, 400, `${what}: status (${JSON.stringify(answer.body)})`);
    assert.equal(answer.body.error?.type, 'invalid_request_error', `${what}: error type`);
    assert.equal(answer.body.error?.param, param, `${what}: the error names the field`);
    assert.equal(sim.requests.length, 0, `${what}: no upstream was called (${sim.requests[0]?.path})`);
  }

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
server: { maxChoices: 4 }
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
providers:
  google: { type: gemini, apiKey: test-gemini-key, baseUrl: "${sim.url}" }
  local: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
  claude: { type: anthropic, apiKey: test-anthropic-key, baseUrl: "${sim.url}" }
models:
  - name: gem/*
    deployments: [{ provider: google, model: "*" }]
  - name: local/*
    deployments: [{ provider: local, model: "*" }]
  - name: claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
`);
    client = new OpenAI({ apiKey: llmux.apiKey, baseURL: llmux.baseURL, maxRetries: 0 });
  });
  after(async () => {
    await llmux?.close();
    await sim?.close();
  });
  afterEach(() => sim.reset());

  it('Gemini wildcard names that would leave the model path: 400 naming model, nothing sent', async () => {
    const names = [
      'gem/a/../../../admin/delete',
      'gem/..',
      'gem/a/b',
      'gem/models/../files',
      'gem/gemini-2.5-flash:streamGenerateContent?alt=sse#',
      'gem/%2e%2e',
      'gem/gemini\r\nx-evil: 1',
      'gem/gémini',
    ];
    for (const model of names) {
      assertRefused(await post(JSON.stringify({ model, messages: USER })), 'model', model);
    }
  });

  it('the same names through the openai SDK are a BadRequestError', async () => {
    const error = await rejection(
      client.chat.completions.create({
        model: 'gem/a/../../../admin/delete',
        messages: [{ role: 'user', content: 'x' }],
      }),
      BadRequestError,
    );
    assert.equal(error.param, 'model', 'the SDK error names the field');
    assert.equal(sim.requests.length, 0, 'no upstream was called');
  });

  it('a legitimate Gemini wildcard name still reaches Gemini at models/{id}', async () => {
    sim.enqueue(geminiJsonStep(GEMINI_REPLY));
    const completion = await client.chat.completions.create({
      model: 'gem/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.ok(completion.choices.length === 1, 'one choice');
    assert.equal(sim.requests[0]?.path, '/v1beta/models/gemini-2.5-flash:generateContent', 'the upstream path');
  });

  it('OpenAI-compatible wildcards: slashes allowed, dot segments and header-breaking characters are not', async () => {
    sim.enqueue(answer('ok'));
    const { data, response } = await client.chat.completions
      .create({ model: 'local/Qwen/Qwen2.5-7B-Instruct', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'ok', 'served');
    assert.equal(response.headers.get('x-llmux-model'), 'Qwen/Qwen2.5-7B-Instruct', 'the upstream model header');
    assert.equal((sim.requests[0]?.json as { model?: string } | undefined)?.model, 'Qwen/Qwen2.5-7B-Instruct');
    sim.reset();
    for (const model of [
      'local/a/../b',
      'local/./x',
      'local/ab\r\ncd',
      'local/ab\ncd',
      'local/模型',
      'local/a\u0000b',
    ]) {
      assertRefused(await post(JSON.stringify({ model, messages: USER })), 'model', JSON.stringify(model));
    }
  });

  it('a body nested deeper than the limit: 400 naming the field, process still serving', async () => {
    const depth = 100_000;
    const json = `{"model":"local/m","messages":[{"role":"user","content":"hi"}],"x_extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    assertRefused(await post(json), 'x_extra[0]', '100k nested arrays');
    const deepSchema = `{"model":"local/m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}}}`;
    assertRefused(await post(deepSchema), 'response_format', '200 nested objects');
    sim.enqueue(answer('still here'));
    const completion = await client.chat.completions.create({
      model: 'local/m',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0]?.message.content, 'still here', 'llmux still serves');
  });

  it('provider_options.anthropic.betas with CR/LF or non-ASCII: 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [['files-api-2025-04-14\r\nx-evil: 1'], 'provider_options.anthropic.betas[0]'],
      ['a\nb', 'provider_options.anthropic.betas'],
      [['ok-beta', 'bêta'], 'provider_options.anthropic.betas[1]'],
    ];
    for (const [betas, param] of cases) {
      const body = { model: 'claude', messages: USER, provider_options: { anthropic: { betas } } };
      assertRefused(await post(JSON.stringify(body)), param, JSON.stringify(betas));
    }
  });

  it('integers beyond their documented range: 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['max_tokens', '18446744073709551616'],
      ['max_completion_tokens', '4294967296'],
      ['seed', '9007199254740993'],
      ['top_logprobs', '21'],
    ];
    for (const [field, value] of cases) {
      const json = `{"model":"local/m","messages":[{"role":"user","content":"hi"}],"${field}":${value}}`;
      assertRefused(await post(json), field, `${field}=${value}`);
    }
  });

  it('n above server.maxChoices: 400 naming n, no fan-out', async () => {
    assertRefused(await post(JSON.stringify({ model: 'claude', messages: USER, n: 5 })), 'n', 'n=5 with maxChoices 4');
    const error = await rejection(
      client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }], n: 100 }),
      BadRequestError,
    );
    assert.equal(error.param, 'n', 'the SDK error names n');
    assert.equal(sim.requests.length, 0, 'no upstream was called');
  });

  it('a client string echoed in x-llmux-warnings cannot break the response headers', async () => {
    sim.enqueue({
      kind: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 1 },
      },
    });
    const response = await fetch(`${llmux.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', messages: USER, service_tier: 'priorité-模型' }),
    });
    const body = (await response.json()) as { choices?: Array<{ message?: { content?: string } }> };
    assert.equal(response.status, 200, `status (${JSON.stringify(body)})`);
    assert.equal(body.choices?.[0]?.message?.content, 'ok', 'the answer arrives intact');
    const warnings = response.headers.get('x-llmux-warnings') ?? '';
    assert.ok(warnings.includes('service_tier'), `the warning is kept (${warnings})`);
  });
});
