/**
 * The Gemini surface's own routes through `@google/genai`: countTokens counted by llmux,
 * models.get / models.list in Gemini's shapes filtered by the key's allow-list, and errors in
 * Google's envelope (key in `x-goog-api-key` or `?key=`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GoogleGenAI } from '@google/genai';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asRecord } from '../support/json-guards.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

describe('@google/genai → llmux Gemini surface: countTokens, models, errors', () => {
  let gateway: Gateway;
  let google: Simulator;
  let local: Simulator;
  let ai: GoogleGenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: { type: 'gemini', apiKey: 'k' }, local: 'openai-compatible' },
      config: `
models:
  - name: gemini-3-pro
    deployments: [{ provider: google, model: gemini-3-pro-preview }]
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
  - name: hidden-model
    deployments: [{ provider: local, model: qwen-local }]
keys:
  - { name: test, key: sk-gemini-surface, models: ["gemini-3-pro", "local-model"] }
`,
    });
    google = simOf(gateway, 'google');
    local = simOf(gateway, 'local');
    ai = new GoogleGenAI({ apiKey: 'sk-gemini-surface', httpOptions: { baseUrl: gateway.llmux.url } });
  });
  after(() => gateway.close());

  it("a model outside the key's allow-list is not found, for generateContent and models.get", async () => {
    await assert.rejects(ai.models.get({ model: 'hidden-model' }), (error: Error & { status?: number }) => {
      assert.equal(error.status, 404);
      return true;
    });
    await assert.rejects(
      ai.models.generateContent({ model: 'hidden-model', contents: 'x' }),
      (error: Error & { status?: number }) => error.status === 404,
    );
  });

  it('countTokens is counted by llmux without an upstream call', async () => {
    const result = await ai.models.countTokens({ model: 'local-model', contents: 'one two three four five six' });
    assert.ok((result.totalTokens ?? 0) > 0, 'a positive count');
    assert.equal(local.requests.length + google.requests.length, 0, 'no upstream request');
  });

  it('models.get and models.list in Gemini shapes, only what the key may use', async () => {
    const model = await ai.models.get({ model: 'local-model' });
    assert.equal(model.name, 'models/local-model');
    const names: string[] = [];
    for await (const entry of await ai.models.list()) names.push(entry.name ?? '');
    assert.deepEqual(names.sort(), ['models/gemini-3-pro', 'models/local-model']);
  });

  it("errors in Google's envelope: a bad key is 401 UNAUTHENTICATED, an unknown model 404 NOT_FOUND", async () => {
    const bad = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: gateway.llmux.url } });
    await assert.rejects(
      bad.models.generateContent({ model: 'local-model', contents: 'x' }),
      (error: Error & { status?: number }) => {
        assert.equal(error.status, 401);
        assert.match(error.message, /UNAUTHENTICATED/);
        return true;
      },
    );
    const response = await fetch(`${gateway.llmux.url}/v1beta/models/nope:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'sk-gemini-surface' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
    });
    assert.equal(response.status, 404);
    const error = asRecord(asRecord(await response.json(), 'body').error, 'error');
    assert.deepEqual([error.code, error.status], [404, 'NOT_FOUND']);
  });
});

describe('Gemini surface: the key query parameter stays out of the request log', () => {
  it('a request authenticated by ?key= and one refused are logged without the key', async () => {
    const gateway = await startGateway({
      upstreams: { local: 'openai-compatible' },
      config: 'models:\n  - name: m\n    deployments: [{ provider: local, model: q }]\n',
    });
    try {
      simOf(gateway, 'local').enqueue({
        kind: 'json',
        body: { choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] },
      });
      const body = JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] });
      const url = `${gateway.llmux.url}/v1beta/models/m:generateContent`;
      const ok = await fetch(`${url}?key=${gateway.llmux.apiKey}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(ok.status, 200, await ok.text());
      const refused = await fetch(`${url}?key=sk-wrong-query-key`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(refused.status, 401);
      const store = gateway.llmux.app.store;
      await store.requestLog.flush();
      const list = await store.listRequests({ limit: 100 });
      assert.ok(
        list.some((row) => row.surface === 'gemini' && row.status === 200),
        'the served request was logged',
      );
      const rows = JSON.stringify(list);
      assert.ok(!rows.includes(gateway.llmux.apiKey) && !rows.includes('sk-wrong-query-key'), 'no key in the log');
    } finally {
      await gateway.close();
    }
  });
});
