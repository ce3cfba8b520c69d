/**
 * Stored responses around the OpenAI passthrough, against a simulated OpenAI answering with the
 * recorded openai-dotnet `FunctionCallWorks` exchange: a response OpenAI keeps is remembered as
 * the key's (GET, input_items and DELETE forwarded with llmux's provider key; another key gets
 * 404 and its `previous_response_id` on it is refused before any upstream call); a conversation
 * llmux kept is expanded into `input` for OpenAI (no `previous_response_id`, no item ids); an id
 * llmux never saw goes to OpenAI unchanged.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { readFixtureJson } from '../support/fixture-paths.ts';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asRecord, type JsonRecord } from '../support/json-guards.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { TEST_KEY } from '../support/start-llmux.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const OTHER_KEY = 'sk-llmux-other-key';

/** The recorded exchange: [0] function call, [1] the follow-up with previous_response_id, [2] input_items. */
const recorded = (
  asRecord(readFixtureJson('openai-responses/openai-dotnet/FunctionCallWorks.json'), 'record').Entries as unknown[]
).map((entry) => asRecord(entry, 'entry'));
const answer = (index: number): JsonRecord => asRecord(recorded[index]?.ResponseBody, `answer ${index}`);
const FIRST_ID = String(answer(0).id);
const SECOND_ID = String(answer(1).id);

describe('stored responses with the OpenAI passthrough', () => {
  let gateway: Gateway;
  let openai: Simulator;
  let local: Simulator;
  let other: OpenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { openai: 'openai', local: 'openai-compatible' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gpt-pass
    deployments: [{ provider: openai, model: gpt-4o-mini }]
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
keys:
  - { name: test, key: ${TEST_KEY}, models: ["*"] }
  - { name: other, key: ${OTHER_KEY}, models: ["*"] }
`,
    });
    openai = simOf(gateway, 'openai');
    local = simOf(gateway, 'local');
    other = new OpenAI({ baseURL: gateway.llmux.baseURL, apiKey: OTHER_KEY, maxRetries: 0 });
  });
  after(() => gateway.close());
  afterEach(() => {
    assert.equal(openai.pendingSteps(), 0, 'every scripted OpenAI step was used');
    assert.equal(local.pendingSteps(), 0, 'every scripted OpenAI-compatible step was used');
    openai.reset();
    local.reset();
  });

  const upstreamBody = (sim: Simulator, index = -1): JsonRecord => asRecord(sim.requests.at(index)?.json, 'body');

  /** Waits for llmux to have remembered `id` (written after the answer). */
  async function remembered(id: string): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      if (await gateway.llmux.app.store.responses.get(id)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`llmux never recorded ${id}`);
  }

  it("a response OpenAI keeps: its id is the key's; follow-up, retrieve, input_items and delete go to OpenAI", async () => {
    openai.enqueue({ kind: 'json', body: answer(0) });
    const first = await gateway.client.responses.create({
      model: 'gpt-pass',
      input: 'What should I wear for the weather in San Francisco, CA?',
    });
    assert.equal(first.id, FIRST_ID, 'the upstream answer, as OpenAI sent it');
    await remembered(FIRST_ID);
    const row = await gateway.llmux.app.store.responses.get(FIRST_ID);
    assert.equal(row?.provider, 'openai', 'remembered as kept by the provider');
    assert.equal(row?.response, null, 'its content stays at OpenAI');

    openai.enqueue({ kind: 'json', body: answer(1) });
    const second = await gateway.client.responses.create({
      model: 'gpt-pass',
      previous_response_id: FIRST_ID,
      input: [
        { type: 'function_call_output', call_id: 'call_S2X9KuEJpYvFcF4hgv1XwM0j', output: '22 celcius and windy' },
      ],
    });
    assert.equal(second.id, SECOND_ID);
    assert.equal(upstreamBody(openai).previous_response_id, FIRST_ID, 'OpenAI resolves its own id');
    await remembered(SECOND_ID);

    await assert.rejects(other.responses.retrieve(SECOND_ID), OpenAI.NotFoundError);
    await assert.rejects(
      other.responses.create({ model: 'gpt-pass', input: 'x', previous_response_id: SECOND_ID }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'previous_response_not_found',
    );
    assert.equal(openai.requests.length, 2, "another key's attempts never reach OpenAI");

    openai.route(`/v1/responses/${SECOND_ID}`, (req) =>
      req.path.includes('/input_items')
        ? { kind: 'json', body: answer(2) }
        : req.method === 'DELETE'
          ? { kind: 'json', body: { id: SECOND_ID, object: 'response', deleted: true } }
          : { kind: 'json', body: answer(1) },
    );
    const retrieved = await gateway.client.responses.retrieve(SECOND_ID);
    assert.equal(retrieved.id, SECOND_ID, 'the stored response, from OpenAI');
    assert.equal(retrieved.output_text, second.output_text);
    const get = openai.requests.at(-1);
    assert.equal(get?.method, 'GET');
    assert.equal(get?.path, `/v1/responses/${SECOND_ID}`);
    assert.equal(get?.headers.authorization, 'Bearer test-key', "llmux's key for the provider, not the client's");

    const items = await gateway.client.responses.inputItems.list(SECOND_ID, { limit: 5 });
    assert.deepEqual(
      items.data.map((item) => item.type),
      ['function_call_output', 'function_call', 'message'],
    );
    assert.equal(openai.requests.at(-1)?.path, `/v1/responses/${SECOND_ID}/input_items?limit=5`, 'query forwarded');

    await gateway.client.responses.delete(SECOND_ID);
    assert.equal(openai.requests.at(-1)?.method, 'DELETE');
    await assert.rejects(gateway.client.responses.retrieve(SECOND_ID), OpenAI.NotFoundError);
    assert.equal(openai.requests.length, 5, 'after delete llmux no longer forwards the id');
  });

  it('a conversation llmux kept continues on OpenAI: expanded into input, no previous_response_id, no item ids', async () => {
    local.enqueue(openAIAnswer('Hello Travis'));
    const first = await gateway.client.responses.create({
      model: 'local-model',
      instructions: 'Be brief.',
      input: 'Hi, my name is Travis.',
    });
    await remembered(first.id);
    openai.enqueue({ kind: 'json', body: answer(0) });
    await gateway.client.responses.create({
      model: 'gpt-pass',
      input: "What's my name?",
      previous_response_id: first.id,
    });
    const body = upstreamBody(openai);
    assert.equal(body.previous_response_id, undefined, 'spent by llmux');
    assert.equal(body.instructions, undefined, 'instructions are not inherited');
    assert.deepEqual(body.input, [
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'Hi, my name is Travis.' }],
        status: 'completed',
      },
      {
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello Travis', annotations: [], logprobs: [] }],
      },
      { type: 'message', role: 'user', content: "What's my name?" },
    ]);
  });

  it('a streamed passthrough answer is remembered by the id of its response.created', async () => {
    const record = asRecord(
      readFixtureJson('openai-responses/openai-dotnet/HelloWorldStreaming(%gpt-4o-mini%).json'),
      'stream record',
    );
    const entry = asRecord((record.Entries as unknown[])[0], 'entry');
    openai.enqueue({ kind: 'sse', body: (entry.ResponseBody as string[]).join('') });
    const stream = gateway.client.responses.stream({ model: 'gpt-pass', input: 'Hello, assistant!' });
    const response = await stream.finalResponse();
    assert.match(response.id, /^resp_/);
    await remembered(response.id);
    assert.equal((await gateway.llmux.app.store.responses.get(response.id))?.provider, 'openai');
    await assert.rejects(other.responses.retrieve(response.id), OpenAI.NotFoundError);
  });

  it("a provider's error on a forwarded GET/DELETE is mapped and redacted; its 404 makes llmux forget the id", async () => {
    openai.enqueue({ kind: 'json', body: answer(0) });
    const first = await gateway.client.responses.create({ model: 'gpt-pass', input: 'x' });
    await remembered(first.id);
    const gone = {
      error: {
        message: "Response with id 'x' not found. Key sk-proj-abcdefghijklmnopqrstuvwxyz0123",
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
    openai.route(`/v1/responses/${first.id}`, () => ({ kind: 'json', status: 404, body: gone }));
    await assert.rejects(gateway.client.responses.retrieve(first.id), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError, 'the 404 stays a 404');
      assert.doesNotMatch(error.message, /abcdefghijklmnopqrstuvwxyz/, 'no key-like text');
      return true;
    });
    await assert.rejects(gateway.client.responses.delete(first.id), OpenAI.NotFoundError);
    assert.equal(await gateway.llmux.app.store.responses.get(first.id), undefined, 'forgotten after the 404');
  });

  it('an id llmux never saw goes to OpenAI unchanged', async () => {
    openai.enqueue({ kind: 'json', body: answer(1) });
    await gateway.client.responses.create({
      model: 'gpt-pass',
      input: 'and?',
      previous_response_id: 'resp_made_elsewhere',
    });
    assert.equal(upstreamBody(openai).previous_response_id, 'resp_made_elsewhere');
  });
});
