/**
 * Responses → OpenAI passthrough: the `openai` SDK's `responses.create` / `responses.stream()`
 * through llmux to an `openai` deployment, whose simulated upstream replays recorded Responses
 * traffic. The body goes to `/v1/responses` with only `model` rewritten, the answer's bytes come
 * back unchanged, usage and cost reach the request log, errors are mapped, a mid-stream failure
 * and a cut stream end the way OpenAI's own would. A fallback to a non-OpenAI deployment translates.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { RequestLogRecord } from '../../src/store/types.ts';
import { readFixture, readFixtureJson } from '../support/fixture-paths.ts';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asRecord } from '../support/json-guards.ts';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { codexRequests, responsesEvents } from '../support/responses-surface.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

/** The recorded stream's bytes exactly as OpenAI sent them (event: and data: lines were stored apart). */
function recordedHelloStream(): string {
  const record = asRecord(
    readFixtureJson('openai-responses/openai-dotnet/HelloWorldStreaming(%gpt-4o-mini%).json'),
    'record',
  );
  const entry = asRecord((record.Entries as unknown[])[0], 'entry');
  return (entry.ResponseBody as string[]).join('');
}

/** vercel/ai payload-only lines served as OpenAI does: `event: <type>` then `data: <line>`. */
function framedChunks(rel: string): string[] {
  return readFixture(rel)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `event: ${String(asRecord(JSON.parse(line), 'chunk').type)}\ndata: ${line}\n\n`);
}

describe('Responses API → OpenAI passthrough', () => {
  let gateway: Gateway;
  let openai: Simulator;
  let local: Simulator;

  before(async () => {
    gateway = await startGateway({
      upstreams: { openai: 'openai', local: 'openai-compatible' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gpt-pass
    deployments: [{ provider: openai, model: gpt-4o-mini }]
    fallbacks: [local-model]
  - name: gpt-solo
    deployments: [{ provider: openai, model: gpt-4o-mini }]
  - name: gpt-quota
    deployments: [{ provider: openai, model: gpt-4o-mini }]
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
`,
    });
    openai = simOf(gateway, 'openai');
    local = simOf(gateway, 'local');
  });
  after(() => gateway.close());
  afterEach(() => {
    assert.equal(openai.pendingSteps(), 0, 'every scripted OpenAI step was used');
    assert.equal(local.pendingSteps(), 0, 'every scripted OpenAI-compatible step was used');
    openai.reset();
    local.reset();
  });

  const logRow = async (requestId: string): Promise<RequestLogRecord> => {
    const store = gateway.llmux.app.store;
    for (let tries = 0; tries < 100; tries++) {
      await store.requestLog.flush();
      const row = (await store.listRequests({ limit: 1000 })).find((r) => r.requestId === requestId);
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`no request log row for ${requestId}`);
  };

  const post = (body: object): Promise<Response> =>
    fetch(`${gateway.llmux.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('responses.stream(): the recorded stream reaches the client byte for byte; model rewritten; usage and cost logged', async () => {
    const recorded = recordedHelloStream();
    openai.enqueue({ kind: 'sse', body: recorded, chunkBytes: 97 });
    const sent = {
      model: 'gpt-pass',
      truncation: 'auto' as const,
      input: [
        {
          type: 'message' as const,
          role: 'user' as const,
          content: [{ type: 'input_text' as const, text: 'Hello, responses!' }],
        },
      ],
      metadata: { trace: 'kept' },
    };
    const response = await post({ ...sent, stream: true });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-llmux-provider'), 'openai');
    assert.equal(await response.text(), recorded, 'every byte as the upstream sent it');

    const upstream = openai.requests[0];
    assert.equal(upstream?.path, '/v1/responses', 'sent to the upstream Responses API');
    assert.equal(upstream?.headers.authorization, 'Bearer test-key', "the provider's key");
    assert.deepEqual(upstream?.json, { ...sent, stream: true, model: 'gpt-4o-mini' }, 'only model rewritten');

    const row = await logRow(String(response.headers.get('x-request-id')));
    assert.equal(row.surface, 'openai-responses');
    assert.equal(row.status, 200);
    assert.equal(row.inputTokens, 11, 'input_tokens of response.completed');
    assert.equal(row.outputTokens, 10, 'output_tokens of response.completed');
    assert.equal(row.usageEstimated, false, 'usage read, not estimated');
    assert.ok((row.costMicros ?? 0) > 0, `priced: ${row.costMicros}`);

    openai.enqueue({ kind: 'sse', body: recorded });
    const stream = gateway.client.responses.stream({ ...sent });
    const final = await stream.finalResponse();
    assert.equal(
      final.output_text,
      'Hello! How can I assist you today?',
      'the SDK helper parses the passed-through events',
    );
  });

  it('responses.create: the recorded body unchanged; cached and reasoning tokens logged', async () => {
    const recorded = readFixture('openai-responses/vercel-ai/openai-reasoning-encrypted-content.1.json');
    openai.enqueue({ kind: 'json', body: recorded });
    const response = await post({
      model: 'gpt-pass',
      input: 'Think hard',
      store: false,
      include: ['reasoning.encrypted_content'],
    });
    assert.equal(response.status, 200);
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(recorded), 'the body byte for byte');
    const row = await logRow(String(response.headers.get('x-request-id')));
    const usage = asRecord(asRecord(JSON.parse(recorded.toString('utf8')), 'body').usage, 'usage');
    assert.equal(row.inputTokens, usage.input_tokens);
    assert.equal(row.outputTokens, usage.output_tokens);
    assert.equal(row.reasoningTokens, asRecord(usage.output_tokens_details, 'details').reasoning_tokens);

    openai.enqueue({ kind: 'json', body: recorded });
    const viaSdk = await gateway.client.responses.create({ model: 'gpt-pass', input: 'Think hard' });
    assert.equal(viaSdk.status, 'completed', 'the SDK reads the passed-through body');
    assert.equal(asRecord(openai.requests.at(-1)?.json, 'upstream').model, 'gpt-4o-mini');
  });

  it('an upstream error is mapped as for chat: the SDK gets the status, type and code', async () => {
    openai.enqueue({ kind: 'json', status: 429, body: readFixture('openai-responses/vercel-ai/openai-error.1.json') });
    await assert.rejects(gateway.client.responses.create({ model: 'gpt-quota', input: 'Hi' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError, 'an SDK APIError');
      assert.equal(error.status, 429);
      assert.equal(error.code, 'insufficient_quota');
      assert.equal(error.type, 'insufficient_quota');
      return true;
    });
  });

  it('a recorded mid-stream failure (error, response.failed) is forwarded as sent and logged as the failure', async () => {
    const frames = framedChunks('openai-responses/vercel-ai/openai-error.1.chunks.txt');
    openai.enqueue({ kind: 'sse-events', events: frames });
    const response = await post({ model: 'gpt-solo', input: 'Hi', stream: true });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), frames.join(''), 'no frame added: response.failed ends the stream');
    const row = await logRow(String(response.headers.get('x-request-id')));
    assert.equal(row.errorCode, 'insufficient_quota', 'the failure the upstream reported');

    openai.enqueue({ kind: 'sse-events', events: frames });
    const stream = gateway.client.responses.stream({ model: 'gpt-solo', input: 'Hi' });
    await assert.rejects(stream.finalResponse(), /quota/, 'the SDK sees the upstream failure');
  });

  it('a stream cut before response.completed ends with error and response.failed, and is logged', async () => {
    const recorded = recordedHelloStream();
    const cut = recorded.slice(0, recorded.indexOf('event: response.completed'));
    openai.enqueue({ kind: 'sse', body: cut });
    const response = await post({ model: 'gpt-solo', input: 'Hi', stream: true });
    const text = await response.text();
    assert.ok(text.startsWith(cut), 'what the upstream sent goes first, unchanged');
    const added = responsesEvents(text.slice(cut.length)).map((event) => event.type);
    assert.deepEqual(added, ['error', 'response.failed'], 'llmux closes the stream the Responses way');
    const row = await logRow(String(response.headers.get('x-request-id')));
    assert.equal(row.errorCode, 'upstream_bad_response');
    assert.equal(row.usageEstimated, true, 'no usage came: estimated');
    assert.ok((row.outputTokens ?? 0) >= 8, `the output_text deltas that went out are counted: ${row.outputTokens}`);
  });

  it('items only OpenAI understands go to it as they are; a translated model refuses them naming the item', async () => {
    const input = [
      { type: 'message', role: 'user', content: 'Search the news' },
      { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'news' } },
      { type: 'item_reference', id: 'msg_earlier' },
    ];
    openai.enqueue({
      kind: 'json',
      body: readFixture('openai-responses/vercel-ai/openai-reasoning-encrypted-content.1.json'),
    });
    const passed = await post({ model: 'gpt-solo', input, tools: [{ type: 'web_search' }] });
    assert.equal(passed.status, 200, await passed.clone().text());
    const upstream = asRecord(openai.requests.at(-1)?.json, 'upstream body');
    assert.deepEqual(upstream.input, input, 'the items unchanged');
    assert.deepEqual(upstream.tools, [{ type: 'web_search' }], 'the built-in tool kept');

    const refused = await post({ model: 'local-model', input });
    assert.equal(refused.status, 400);
    const error = asRecord(asRecord(await refused.json(), 'envelope').error, 'error');
    assert.equal(error.param, 'input[1].type');
    assert.equal(local.requests.length, 0, 'nothing sent to the translated upstream');
  });

  it("Codex's default-model turn (additional_tools, custom tool exec) goes to OpenAI as it is", async () => {
    const [first] = codexRequests('03-tool-default-model-codemode');
    assert.ok(first, 'a recorded first turn');
    const recorded = recordedHelloStream();
    openai.enqueue({ kind: 'sse', body: recorded });
    const headers: Record<string, string> = { ...first.headers, authorization: `Bearer ${gateway.llmux.apiKey}` };
    for (const name of ['content-length', 'accept-encoding', 'host', 'connection']) delete headers[name];
    const response = await fetch(`${gateway.llmux.url}/v1/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...first.body, model: 'gpt-solo' }),
    });
    assert.equal(await response.text(), recorded);
    assert.equal(response.headers.get('x-llmux-warnings'), null, 'nothing dropped or changed');
    assert.deepEqual(openai.requests.at(-1)?.json, { ...first.body, model: 'gpt-4o-mini' }, 'only model rewritten');
  });

  it('a fallback from the OpenAI deployment to an OpenAI-compatible one translates', async () => {
    openai.enqueue({ kind: 'json', status: 500, body: { error: { message: 'boom', type: 'server_error' } } });
    local.enqueue(openAIAnswer('from the fallback', { prompt_tokens: 7, completion_tokens: 3 }));
    const response = await gateway.client.responses.create({ model: 'gpt-pass', input: 'Hi' });
    assert.equal(response.output_text, 'from the fallback');
    assert.equal(local.requests[0]?.path, '/v1/chat/completions', 'translated to Chat Completions');
    assert.ok(Array.isArray(asRecord(local.requests[0]?.json, 'chat body').messages), 'a chat body');
  });
});

describe('responsesApi in a provider config', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
router: { retry: { attempts: 1 } }
providers:
  vllm: { type: openai-compatible, baseUrl: "${sim.url}/v1", responsesApi: true }
  oai: { type: openai, apiKey: test-key, baseUrl: "${sim.url}/v1", responsesApi: false }
models:
  - name: on-vllm
    deployments: [{ provider: vllm, model: qwen3 }]
  - name: on-openai-chat
    deployments: [{ provider: oai, model: gpt-4o-mini }]
`);
  });
  after(async () => {
    await llmux.close();
    await sim.close();
  });

  const post = (model: string): Promise<Response> =>
    fetch(`${llmux.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, input: 'Hi', stream: true }),
    });

  it('true on an OpenAI-compatible server: passed through to its /responses', async () => {
    const recorded = recordedHelloStream();
    sim.enqueue({ kind: 'sse', body: recorded });
    const response = await post('on-vllm');
    assert.equal(await response.text(), recorded);
    assert.equal(sim.requests.at(-1)?.path, '/v1/responses');
    assert.equal(asRecord(sim.requests.at(-1)?.json, 'body').model, 'qwen3');
  });

  it('false on an OpenAI provider: translated to Chat Completions', async () => {
    sim.enqueue({ kind: 'sse-events', events: openAIStreamFrames(['Hello']) });
    const response = await post('on-openai-chat');
    const events = responsesEvents(await response.text());
    assert.equal(sim.requests.at(-1)?.path, '/v1/chat/completions');
    assert.equal(events.at(-1)?.type, 'response.completed', 'rendered by llmux');
  });
});
