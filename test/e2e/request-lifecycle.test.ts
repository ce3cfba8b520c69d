/**
 * The request lifecycle is the same for every surface: a second surface is one route registration;
 * passthrough happens only between equal wire formats; admission can refuse a request before any
 * upstream call; input only the canonical conversion rejects is a 400 before any attempt.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { CreateAppOptions } from '../../src/app.ts';
import { GatewayError } from '../../src/core/errors.ts';
import type { ChatRequest, ChatResult, StreamEvent } from '../../src/core/types.ts';
import type { Admission, OpenPolicy, RequestFacts, RequestPolicy } from '../../src/policy/admission.ts';
import type { ApiKeyEntry } from '../../src/policy/key-store.ts';
import type { RenderedError, Surface, SurfaceRequest } from '../../src/surfaces/types.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { type RunningLlmux, startLlmux, TEST_KEY } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { logRow } from './routing-support.ts';

/** A toy API: `{model, prompt}` in, `{echo}` out, its key in `x-echo-key`, errors as `{failure: {code, message}}`. */
function echoSurface(canonicalBuilds: { count: number }): Surface {
  const renderError = (error: GatewayError): RenderedError => ({
    status: error.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ failure: { code: error.code, message: error.message } }),
  });
  return {
    wireFormat: 'echo',
    presentedKey: (headers) => {
      const key = headers['x-echo-key'];
      return typeof key === 'string' ? key : undefined;
    },
    parse(body): SurfaceRequest {
      const { model, prompt } = body as { model?: unknown; prompt?: unknown };
      if (typeof model !== 'string' || typeof prompt !== 'string') {
        throw new GatewayError('invalid_request', 'model and prompt are required');
      }
      let built: ChatRequest | undefined;
      return {
        model,
        stream: false,
        wireBody: body as object,
        maxOutputTokens: undefined,
        choices: 1,
        estimateInputTokens: (count) => count([prompt]),
        canonical(): ChatRequest {
          if (built) return built;
          canonicalBuilds.count++;
          const request: ChatRequest = {
            model,
            messages: [{ role: 'user', parts: [{ type: 'text', text: prompt }] }],
            stream: false,
            includeUsage: false,
          };
          built = request;
          return request;
        },
        renderResult: (result: ChatResult) => JSON.stringify({ echo: result.choices[0]?.text ?? null }),
        createStreamRenderer: () => ({ render: (event: StreamEvent) => `${event.type}\n`, end: () => 'end\n' }),
        renderStreamError: (error) => `failure: ${error.code}\n`,
      };
    },
    renderError: (error, requestId) => renderError(new GatewayError(error.code, `${error.message} [${requestId}]`)),
  };
}

const CONFIG = (sim: Simulator) => `
providers:
  up: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
models:
  - name: m
    deployments: [{ provider: up, model: gpt-up }]
`;

describe('request lifecycle: any surface', () => {
  let llmux: RunningLlmux | undefined;
  let sim: Simulator | undefined;
  afterEach(async () => {
    await llmux?.close();
    await sim?.close();
    llmux = undefined;
    sim = undefined;
  });

  async function start(options: Omit<CreateAppOptions, 'logger'>): Promise<{ llmux: RunningLlmux; sim: Simulator }> {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(CONFIG(sim), {}, options);
    return { llmux, sim };
  }

  it('a second surface is served by registering one route; a different wire format is translated, not passed through', async () => {
    const calls = { count: 0 };
    const env = await start({ surfaces: [{ surface: echoSurface(calls), paths: ['/v1/echo'] }] });
    env.sim.enqueue(openAIAnswer('hello back'));
    const response = await fetch(`${env.llmux.url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-echo-key': TEST_KEY },
      body: JSON.stringify({ model: 'm', prompt: 'hello', echo_only_field: 1 }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { echo: 'hello back' });
    assert.equal(calls.count, 1, 'the canonical request was built once');
    const upstream = env.sim.requests[0]?.json as Record<string, unknown>;
    assert.equal(upstream.model, 'gpt-up');
    assert.deepEqual(upstream.messages, [{ role: 'user', content: 'hello' }]);
    assert.equal('prompt' in upstream || 'echo_only_field' in upstream, false, 'the echo body was not forwarded');
    const row = await logRow(env.llmux, response.headers.get('x-request-id'));
    assert.equal(row.surface, 'echo');
    assert.equal(row.attempts, 1);
  });

  it("a surface's errors (bad key, unknown model) come in its own envelope", async () => {
    const env = await start({ surfaces: [{ surface: echoSurface({ count: 0 }), paths: ['/v1/echo'] }] });
    const unauthenticated = await fetch(`${env.llmux.url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ model: 'm', prompt: 'hello' }),
    });
    assert.equal(unauthenticated.status, 401, 'the echo surface reads its key from x-echo-key only');
    assert.equal(((await unauthenticated.json()) as { failure: { code: string } }).failure.code, 'invalid_api_key');
    const unknown = await fetch(`${env.llmux.url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-echo-key': TEST_KEY },
      body: JSON.stringify({ model: 'nope', prompt: 'hello' }),
    });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { failure: { code: string } }).failure.code, 'model_not_found');
    const invalid = await fetch(`${env.llmux.url}/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-echo-key': TEST_KEY },
      body: JSON.stringify({ model: 'm' }),
    });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { failure: { code: string } }).failure.code, 'invalid_request');
    assert.equal(env.sim.requests.length, 0);
  });

  it('an admission refusal is a 429 in the surface envelope, with a log row and no upstream call', async () => {
    const admitted: RequestFacts[] = [];
    const settled: Array<Admission | undefined> = [];
    const policy = (write: ConstructorParameters<typeof OpenPolicy>[0]): RequestPolicy => ({
      async admit(_key: ApiKeyEntry | undefined, facts: RequestFacts): Promise<Admission> {
        admitted.push(facts);
        throw new GatewayError('rate_limit_exceeded', 'This key is over its request limit.');
      },
      settle(admission, record) {
        settled.push(admission);
        write(record);
      },
    });
    const env = await start({ policy });
    const response = await fetch(`${env.llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    assert.equal(response.status, 429);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.match(body.error.message, /over its request limit/);
    assert.equal(admitted.length, 1, 'admitted once');
    const facts = admitted[0] as RequestFacts;
    const { surface, publicModel, stream, maxOutputTokens, choices } = facts;
    assert.deepEqual(
      { surface, publicModel, stream, maxOutputTokens, choices },
      { surface: 'openai-chat', publicModel: 'm', stream: true, maxOutputTokens: undefined, choices: 1 },
    );
    assert.ok((facts.bodyBytes ?? 0) > 0, 'the body size is known');
    assert.equal(facts.requestId, response.headers.get('x-request-id'), 'the request id');
    assert.ok(facts.inputTokens() > 0, 'the prompt estimate is there on demand');
    assert.ok(facts.targets().length > 0, 'and the deployments it may reach');
    assert.equal(env.sim.requests.length, 0, 'no upstream call');
    const row = await logRow(env.llmux, response.headers.get('x-request-id'));
    assert.equal(row.status, 429);
    assert.equal(row.errorCode, 'rate_limit_exceeded');
    assert.equal(row.attempts, 0);
    assert.equal(row.publicModel, 'm');
    assert.deepEqual(settled, [undefined], 'settled once, without an admission');
  });

  it('a bad data URL to a translated deployment is a 400 before any attempt, and no upstream call', async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
providers:
  claude: { type: anthropic, apiKey: test-key, baseUrl: "${sim.url}" }
models:
  - name: c
    deployments: [{ provider: claude, model: claude-test }]
`);
    const response = await fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({
        model: 'c',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,not-base64' } }] }],
      }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, /Invalid data URL/);
    assert.equal(sim.requests.length, 0);
    const row = await logRow(llmux, response.headers.get('x-request-id'));
    assert.equal(row.status, 400);
    assert.equal(row.attempts, 0);
    assert.equal(row.provider, null);
  });
});
