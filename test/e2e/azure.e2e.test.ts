/**
 * Azure OpenAI (`type: azure`), end to end: the openai SDK → llmux → a simulator standing in for
 * `https://{resource}.openai.azure.com`. The simulator checks what Azure checks: the path (classic
 * deployment URL or `/openai/v1`), the `api-version` query and the `api-key` header.
 * Also: an openai-compatible `baseUrl` with a query string keeps it (it was mangled into
 * `…?api-version=…/chat/completions`).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI, { InternalServerError } from 'openai';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { rejection } from '../support/sdk-helpers.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type SimRequest, type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

const AZURE_KEY = 'azure-key-0123456789abcdef';
const USER = [{ role: 'user' as const, content: 'hi' }];

describe('openai SDK → llmux → Azure OpenAI', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
providers:
  azure-classic: { type: azure, endpoint: "${sim.url}/", apiKey: ${AZURE_KEY}, apiVersion: 2025-01-01-preview }
  azure-default: { type: azure, endpoint: "${sim.url}", apiKey: ${AZURE_KEY} }
  azure-v1: { type: azure, endpoint: "${sim.url}", apiKey: ${AZURE_KEY}, v1: true }
  tenant-proxy: { type: openai-compatible, baseUrl: "${sim.url}/v1?tenant=acme&x=1" }
router: { retry: { attempts: 1 } }
models:
  - name: classic
    deployments: [{ provider: azure-classic, model: my-gpt-4o }]
  - name: default-version
    deployments: [{ provider: azure-default, model: my-gpt-4o }]
  - name: v1
    deployments: [{ provider: azure-v1, model: my-gpt-4o }]
  - name: proxied
    deployments: [{ provider: tenant-proxy, model: some-model }]
`);
    client = new OpenAI({ baseURL: llmux.baseURL, apiKey: llmux.apiKey, maxRetries: 0, timeout: 15_000 });
  });
  afterEach(() => sim.reset());
  after(async () => {
    await llmux.close();
    await sim.close();
  });

  const only = (requests: SimRequest[]): SimRequest => {
    assert.equal(requests.length, 1, 'exactly one upstream request');
    return requests[0] as SimRequest;
  };
  const assertAzureAuth = (request: SimRequest) => {
    assert.equal(request.headers['api-key'], AZURE_KEY, 'the key goes in the api-key header');
    assert.equal(request.headers.authorization, undefined, 'no Bearer token');
  };

  it('classic: the deployment URL with api-version, api-key header; passthrough answers as it came', async () => {
    sim.setDefault(openAIAnswer('from azure'));
    const { data, response } = await client.chat.completions
      .create({ model: 'classic', messages: USER })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'from azure');
    assert.equal(response.headers.get('x-llmux-provider'), 'azure-classic');
    const request = only(sim.requests);
    assert.equal(request.path, '/openai/deployments/my-gpt-4o/chat/completions?api-version=2025-01-01-preview');
    assertAzureAuth(request);
  });

  it('classic: streams, with the default api-version when none is configured', async () => {
    sim.setDefault({ kind: 'sse-events', events: openAIStreamFrames(['Hello', ' Azure']) });
    const stream = await client.chat.completions.create({ model: 'default-version', messages: USER, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Hello Azure', 'the stream came through');
    const request = only(sim.requests);
    assert.equal(request.path, '/openai/deployments/my-gpt-4o/chat/completions?api-version=2024-10-21');
    assertAzureAuth(request);
  });

  it('v1: /openai/v1/chat/completions without api-version, the deployment name in the body', async () => {
    sim.setDefault({ kind: 'sse-events', events: openAIStreamFrames(['v1']) });
    const stream = await client.chat.completions.create({ model: 'v1', messages: USER, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'v1', 'the stream came through');
    const request = only(sim.requests);
    assert.equal(request.path, '/openai/v1/chat/completions');
    assert.equal((request.json as { model?: string }).model, 'my-gpt-4o', 'the deployment name is the body model');
    assertAzureAuth(request);
  });

  it("Azure's 401 (a wrong key or endpoint) is the operator's: 502 upstream_auth_failed naming the provider", async () => {
    sim.setDefault({
      kind: 'json',
      status: 401,
      body: {
        error: {
          code: '401',
          message:
            'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        },
      },
    });
    const error = await rejection(
      client.chat.completions.create({ model: 'classic', messages: USER }),
      InternalServerError,
    );
    assert.equal(error.status, 502);
    assert.equal(error.code, 'upstream_auth_failed');
    assert.match(error.message, /Provider "azure-classic"/);
  });

  it('an openai-compatible baseUrl with a query string keeps it, the path going before it', async () => {
    sim.setDefault(openAIAnswer('proxied'));
    const data = await client.chat.completions.create({ model: 'proxied', messages: USER });
    assert.equal(data.choices[0]?.message.content, 'proxied');
    assert.equal(only(sim.requests).path, '/v1/chat/completions?tenant=acme&x=1');
  });
});
