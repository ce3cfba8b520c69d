/**
 * Stored responses through the `openai` SDK: `store` (the default) keeps a translated response,
 * `previous_response_id` replays its conversation to the next upstream (another provider even),
 * without the earlier `instructions`; `responses.retrieve`, `responses.inputItems.list` (OpenAI's
 * list shape, paged) and `responses.delete`; another key sees none of it; `store: false` keeps
 * nothing. The store is the real SQLite of the test llmux.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { anthropicStream } from '../support/anthropic-steps.ts';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asRecord } from '../support/json-guards.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { TEST_KEY } from '../support/start-llmux.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const OTHER_KEY = 'sk-llmux-other-key';

describe('stored responses (store, previous_response_id, retrieve, input items, delete)', () => {
  let gateway: Gateway;
  let local: Simulator;
  let claude: Simulator;
  let other: OpenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { local: 'openai-compatible', claude: 'anthropic' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
  - name: claude-model
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
keys:
  - { name: test, key: ${TEST_KEY}, models: ["*"] }
  - { name: other, key: ${OTHER_KEY}, models: ["*"] }
`,
    });
    local = simOf(gateway, 'local');
    claude = simOf(gateway, 'claude');
    other = new OpenAI({ baseURL: gateway.llmux.baseURL, apiKey: OTHER_KEY, maxRetries: 0 });
  });
  after(() => gateway.close());
  afterEach(() => {
    assert.equal(local.pendingSteps(), 0, 'every scripted OpenAI-compatible step was used');
    assert.equal(claude.pendingSteps(), 0, 'every scripted Anthropic step was used');
    local.reset();
    claude.reset();
  });

  /** The response as GET returns it, once the write after the answer has landed. */
  async function stored(id: string, client = gateway.client): Promise<OpenAI.Responses.Response> {
    for (let tries = 0; ; tries++) {
      try {
        return await client.responses.retrieve(id);
      } catch (error) {
        if (!(error instanceof OpenAI.NotFoundError) || tries >= 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  it('create, retrieve, follow up on another provider with the history replayed, list input items', async () => {
    local.enqueue(openAIAnswer('Hello Travis', { prompt_tokens: 12, completion_tokens: 3 }));
    const first = await gateway.client.responses.create({
      model: 'local-model',
      instructions: 'Be brief.',
      input: 'Hi, my name is Travis.',
    });
    assert.equal(asRecord(first, 'first').store, true, 'store defaults to true');
    const retrieved = await stored(first.id);
    assert.equal(retrieved.id, first.id);
    assert.equal(retrieved.output_text, 'Hello Travis');
    assert.deepEqual(retrieved.output, first.output, 'the output as the client got it');
    assert.equal(retrieved.instructions, 'Be brief.');

    claude.enqueue(anthropicStream('Your name is Travis.'));
    const stream = gateway.client.responses.stream({
      model: 'claude-model',
      instructions: 'Answer in one sentence.',
      input: "What's my name?",
      previous_response_id: first.id,
    });
    const second = await stream.finalResponse();
    assert.equal(second.output_text, 'Your name is Travis.');
    assert.equal(second.previous_response_id, first.id, 'echoed');
    const upstream = asRecord(claude.requests.at(-1)?.json, 'anthropic body');
    assert.deepEqual(
      upstream.system,
      [{ type: 'text', text: 'Answer in one sentence.' }],
      'instructions not inherited',
    );
    assert.deepEqual(upstream.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Hi, my name is Travis.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello Travis' }] },
      { role: 'user', content: [{ type: 'text', text: "What's my name?" }] },
    ]);

    await stored(second.id);
    const items = await gateway.client.responses.inputItems.list(second.id);
    const data = items.data as unknown as Array<Record<string, unknown>>;
    assert.deepEqual(
      data.map((item) => [item.type, item.role]),
      [
        ['message', 'user'],
        ['message', 'assistant'],
        ['message', 'user'],
      ],
      'newest first: this turn, the answer before it, the first turn',
    );
    assert.deepEqual(data[0]?.content, [{ type: 'input_text', text: "What's my name?" }]);
    assert.equal(data[1]?.id, first.output[0]?.id, 'the previous output item keeps its id');
    assert.ok(
      data.every((item) => typeof item.id === 'string' && item.id !== ''),
      'every item has an id',
    );
    const raw = await fetch(`${gateway.llmux.baseURL}/responses/${second.id}/input_items?limit=2&order=asc`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    const page = asRecord(await raw.json(), 'page');
    assert.equal(page.object, 'list');
    assert.equal(page.has_more, true, 'three items, two asked for');
    assert.equal(page.first_id, (page.data as Array<Record<string, unknown>>)[0]?.id);
    const rest = await fetch(
      `${gateway.llmux.baseURL}/responses/${second.id}/input_items?order=asc&after=${String(page.last_id)}`,
      { headers: { authorization: `Bearer ${TEST_KEY}` } },
    );
    const tail = asRecord(await rest.json(), 'tail');
    assert.equal((tail.data as unknown[]).length, 1, 'the third item after the cursor');
    assert.equal(tail.has_more, false);
    const badLimit = await fetch(`${gateway.llmux.baseURL}/responses/${second.id}/input_items?limit=500`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    assert.equal(badLimit.status, 400);
    assert.equal(asRecord(asRecord(await badLimit.json(), 'body').error, 'error').param, 'limit');
  });

  it('a follow-up sent the moment an answer arrives finds it (the write after the answer is waited for)', async () => {
    let previous: string | undefined;
    for (let turn = 0; turn < 8; turn++) {
      if (turn % 2 === 0) local.enqueue(openAIAnswer(`answer ${turn}`));
      else claude.enqueue(anthropicStream(`answer ${turn}`));
      const request = { input: `turn ${turn}`, ...(previous ? { previous_response_id: previous } : {}) };
      const response =
        turn % 2 === 0
          ? await gateway.client.responses.create({ model: 'local-model', ...request })
          : await gateway.client.responses.stream({ model: 'claude-model', ...request }).finalResponse();
      previous = response.id;
    }
    const last = asRecord(claude.requests.at(-1)?.json, 'anthropic body');
    assert.equal(
      (last.messages as unknown[]).length,
      15,
      'seven turns replayed (user, assistant) before the eighth input',
    );
  });

  it('a write slower than the client: the follow-up and the retrieve wait for it', async () => {
    const { responses } = gateway.llmux.app.store;
    const save = responses.save;
    responses.save = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return save.apply(responses, args);
    };
    try {
      local.enqueue(openAIAnswer('slow to store'), openAIAnswer('followed'));
      const first = await gateway.client.responses.create({ model: 'local-model', input: 'first' });
      const retrieved = await gateway.client.responses.retrieve(first.id);
      assert.equal(retrieved.output_text, 'slow to store', 'retrieve waited for the write');
      const second = await gateway.client.responses.create({
        model: 'local-model',
        input: 'next',
        previous_response_id: first.id,
      });
      assert.equal(second.output_text, 'followed');
      const messages = asRecord(local.requests.at(-1)?.json, 'body').messages as unknown[];
      assert.equal(messages.length, 3, 'the first turn was replayed');
    } finally {
      responses.save = save;
    }
  });

  it('another key: 404 on retrieve, list and delete; previous_response_id not found, nothing sent upstream', async () => {
    local.enqueue(openAIAnswer('mine'));
    const mine = await gateway.client.responses.create({ model: 'local-model', input: 'secret' });
    await stored(mine.id);
    await assert.rejects(other.responses.retrieve(mine.id), OpenAI.NotFoundError);
    await assert.rejects(other.responses.inputItems.list(mine.id), OpenAI.NotFoundError);
    await assert.rejects(other.responses.delete(mine.id), OpenAI.NotFoundError);
    await assert.rejects(
      other.responses.create({ model: 'local-model', input: 'and?', previous_response_id: mine.id }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError, 'a 400, as OpenAI answers');
        assert.equal(error.code, 'previous_response_not_found');
        assert.equal(error.param, 'previous_response_id');
        return true;
      },
    );
    assert.equal(local.requests.length, 1, 'only the first create went upstream');
    assert.equal((await stored(mine.id)).id, mine.id, 'still there for its key');
  });

  it('delete answers OpenAI shape; the response and follow-ups on it are gone', async () => {
    local.enqueue(openAIAnswer('to delete'));
    const response = await gateway.client.responses.create({ model: 'local-model', input: 'x' });
    await stored(response.id);
    const deleted = await fetch(`${gateway.llmux.baseURL}/responses/${response.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    assert.equal(deleted.status, 200);
    assert.deepEqual(await deleted.json(), { id: response.id, object: 'response', deleted: true });
    await assert.rejects(gateway.client.responses.retrieve(response.id), OpenAI.NotFoundError);
    await assert.rejects(gateway.client.responses.delete(response.id), OpenAI.NotFoundError);
    await assert.rejects(
      gateway.client.responses.create({ model: 'local-model', input: 'y', previous_response_id: response.id }),
      OpenAI.BadRequestError,
    );
    assert.equal(local.requests.length, 1, 'the follow-up never went upstream');
  });

  it('an expired response is gone: 404 on retrieve, previous_response_not_found on a follow-up', async () => {
    const { responses } = gateway.llmux.app.store;
    const past = Date.now() - 1000;
    const record = {
      keyId: 'static:test',
      previousResponseId: null,
      provider: null,
      createdAt: past - 10,
      expiresAt: past,
    };
    await responses.save({ ...record, id: 'resp_expired', response: '{"id":"resp_expired"}', inputItems: '[]' });
    await assert.rejects(gateway.client.responses.retrieve('resp_expired'), OpenAI.NotFoundError);
    await assert.rejects(
      gateway.client.responses.create({ model: 'local-model', input: 'y', previous_response_id: 'resp_expired' }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'previous_response_not_found',
    );
    const live = { ...record, expiresAt: Date.now() + 60_000 };
    await responses.save({ ...live, id: 'resp_live', response: '{"id":"resp_live"}', inputItems: '[]' });
    assert.equal((await gateway.client.responses.retrieve('resp_live')).id, 'resp_live', 'the same row, not expired');
    assert.equal(local.requests.length, 0, 'nothing went upstream');
  });

  it('store: false keeps nothing; an unknown previous_response_id is previous_response_not_found', async () => {
    local.enqueue(openAIAnswer('ephemeral'));
    const response = await gateway.client.responses.create({ model: 'local-model', input: 'x', store: false });
    assert.equal(asRecord(response, 'response').store, false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await assert.rejects(gateway.client.responses.retrieve(response.id), OpenAI.NotFoundError);
    assert.equal(await gateway.llmux.app.store.responses.get(response.id), undefined, 'no row');
    await assert.rejects(
      gateway.client.responses.create({ model: 'local-model', input: 'y', previous_response_id: 'resp_unknown' }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'previous_response_not_found',
    );
    assert.equal(local.requests.length, 1, 'the refused follow-up never went upstream');
  });
});

describe('stored responses: responses.maxStoredMb', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startGateway({
      upstreams: { local: 'openai-compatible' },
      config: `
responses: { maxStoredMb: 0.002 }
models:
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
`,
    });
  });
  after(() => gateway.close());

  it('a response over the bound is answered but not stored; a follow-up on it is previous_response_not_found', async () => {
    const local = simOf(gateway, 'local');
    local.enqueue(openAIAnswer('x'.repeat(3000)));
    const response = await gateway.client.responses.create({ model: 'local-model', input: 'long answer please' });
    assert.equal(response.output_text.length, 3000, 'the client got the whole answer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await gateway.llmux.app.store.responses.get(response.id), undefined, 'not stored');
    await assert.rejects(
      gateway.client.responses.create({ model: 'local-model', input: 'y', previous_response_id: response.id }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'previous_response_not_found',
    );
    local.enqueue(openAIAnswer('ok'));
    const small = await gateway.client.responses.create({ model: 'local-model', input: 'hi' });
    for (let tries = 0; tries < 100 && !(await gateway.llmux.app.store.responses.get(small.id)); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(await gateway.llmux.app.store.responses.get(small.id), 'a response under the bound is stored');
  });
});
