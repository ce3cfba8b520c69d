/**
 * `:embedContent` / `:batchEmbedContents` on the Gemini surface with the official `@google/genai`
 * SDK (`models.embedContent`, which calls batchEmbedContents) and raw `embedContent`: passthrough
 * to a Gemini deployment, translated to an OpenAI-compatible one, refused for Anthropic. No
 * recorded embeddings traffic exists in the shared fixtures: the upstream answers follow the
 * documented shapes (`EmbedContentResponse` / `BatchEmbedContentsResponse` in
 * test/fixtures/specs/gemini-v1beta-protos/generative_service.proto, which carry no usage; OpenAI's
 * `CreateEmbeddingResponse` in test/fixtures/specs/openapi.yaml).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GoogleGenAI } from '@google/genai';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asRecord, isRecord } from '../support/json-guards.ts';
import type { SimRequest, Simulator } from '../support/upstream-simulator.ts';
import { logRow } from './routing-support.ts';

const GEMINI_KEY = 'test-gemini-key';
const VECTORS = [
  [0.0023064255, -0.009327292, 0.015797347],
  [-0.0028842222, 0.0117, -0.25],
];

const batchAnswer = (req: SimRequest) => {
  const count = isRecord(req.json) && Array.isArray(req.json.requests) ? req.json.requests.length : 1;
  return { kind: 'json' as const, body: { embeddings: VECTORS.slice(0, count).map((values) => ({ values })) } };
};

const openAIAnswer = (req: SimRequest) => {
  const count = isRecord(req.json) && Array.isArray(req.json.input) ? req.json.input.length : 1;
  const data = VECTORS.slice(0, count).map((embedding, index) => ({ object: 'embedding', index, embedding }));
  return {
    kind: 'json' as const,
    body: { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 7, total_tokens: 7 } },
  };
};

describe('@google/genai embedContent → llmux Gemini surface', () => {
  let gateway: Gateway;
  let google: Simulator;
  let local: Simulator;
  let claude: Simulator;
  let ai: GoogleGenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: { type: 'gemini', apiKey: GEMINI_KEY }, local: 'openai-compatible', claude: 'anthropic' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: embed-gemini
    deployments: [{ provider: google, model: gemini-embedding-001 }]
  - name: embed-local
    deployments: [{ provider: local, model: text-embedding-3-small }]
  - name: embed-claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
`,
    });
    google = simOf(gateway, 'google');
    local = simOf(gateway, 'local');
    claude = simOf(gateway, 'claude');
    ai = new GoogleGenAI({ apiKey: gateway.llmux.apiKey, httpOptions: { baseUrl: gateway.llmux.url } });
  });
  after(() => gateway.close());
  beforeEach(() => {
    for (const sim of [google, local, claude]) sim.reset();
  });

  const rawEmbed = (model: string, method: string, body: object) =>
    fetch(`${gateway.llmux.url}/v1beta/models/${model}:${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': gateway.llmux.apiKey },
      body: JSON.stringify(body),
    });

  describe('passthrough to a Gemini deployment', () => {
    it('several contents: the body as sent with the model rewritten; the answer as is; usage estimated and priced', async () => {
      google.route('/v1beta/models/gemini-embedding-001:batchEmbedContents', batchAnswer);
      const response = await ai.models.embedContent({
        model: 'embed-gemini',
        contents: ['hello world', 'goodbye'],
        config: { outputDimensionality: 3, taskType: 'RETRIEVAL_DOCUMENT' },
      });
      assert.deepEqual(
        response.embeddings?.map((embedding) => embedding.values),
        VECTORS,
        'the vectors as the upstream sent them',
      );
      const sent = google.requests[0];
      assert.ok(sent, 'one upstream request');
      assert.equal(sent.headers['x-goog-api-key'], GEMINI_KEY, "the deployment's key, not the client's");
      const model = 'models/gemini-embedding-001';
      assert.deepEqual(
        sent.json,
        {
          requests: [
            {
              content: { parts: [{ text: 'hello world' }], role: 'user' },
              taskType: 'RETRIEVAL_DOCUMENT',
              outputDimensionality: 3,
              model,
            },
            {
              content: { parts: [{ text: 'goodbye' }], role: 'user' },
              taskType: 'RETRIEVAL_DOCUMENT',
              outputDimensionality: 3,
              model,
            },
          ],
        },
        'the SDK body unchanged but for each request model',
      );
      const requestId = response.sdkHttpResponse?.headers?.['x-request-id'];
      const row = await logRow(gateway.llmux, requestId);
      assert.equal(row.surface, 'gemini-embeddings', 'surface recorded');
      assert.equal(row.provider, 'google', 'provider recorded');
      assert.ok((row.inputTokens ?? 0) > 0, 'input tokens estimated');
      assert.equal(row.outputTokens, 0, 'no output tokens');
      assert.equal(row.usageEstimated, true, 'flagged estimated');
      assert.ok((row.costMicros ?? 0) > 0, 'priced as gemini-embedding-001');
    });

    it('one content through the SDK, and raw :embedContent to the embedContent endpoint', async () => {
      google.route('/v1beta/models/gemini-embedding-001:batchEmbedContents', batchAnswer);
      google.route('/v1beta/models/gemini-embedding-001:embedContent', () => ({
        kind: 'json',
        body: { embedding: { values: VECTORS[1] } },
      }));
      const one = await ai.models.embedContent({ model: 'embed-gemini', contents: 'hello world' });
      assert.deepEqual(one.embeddings?.[0]?.values, VECTORS[0], 'one vector');
      const raw = await rawEmbed('embed-gemini', 'embedContent', {
        model: 'models/embed-gemini',
        content: { parts: [{ text: 'single' }] },
        title: 'A title',
      });
      assert.equal(raw.status, 200, 'embedContent served');
      assert.deepEqual(await raw.json(), { embedding: { values: VECTORS[1] } }, "Gemini's answer as sent");
      const sent = google.requests.at(-1);
      assert.equal(sent?.path, '/v1beta/models/gemini-embedding-001:embedContent', 'to the embedContent endpoint');
      assert.deepEqual(
        sent?.json,
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'single' }] }, title: 'A title' },
        'model rewritten, the rest as sent',
      );
    });
  });

  describe('translated to an OpenAI-compatible deployment', () => {
    it("outputDimensionality → dimensions, taskType dropped with a warning, answered in Gemini's shape", async () => {
      local.route('/v1/embeddings', openAIAnswer);
      const response = await ai.models.embedContent({
        model: 'embed-local',
        contents: ['hello world', 'goodbye'],
        config: { outputDimensionality: 3, taskType: 'RETRIEVAL_QUERY' },
      });
      assert.deepEqual(
        response.embeddings?.map((embedding) => embedding.values),
        VECTORS,
        'OpenAI vectors as Gemini embeddings, in order',
      );
      const sent = asRecord(local.requests[0]?.json, 'upstream body');
      assert.deepEqual(
        sent,
        { model: 'text-embedding-3-small', input: ['hello world', 'goodbye'], encoding_format: 'float', dimensions: 3 },
        'an OpenAI embeddings request',
      );
      const headers = response.sdkHttpResponse?.headers ?? {};
      assert.match(headers['x-llmux-warnings'] ?? '', /taskType dropped/, 'taskType listed in the warnings');
      const row = await logRow(gateway.llmux, headers['x-request-id']);
      assert.equal(row.inputTokens, 7, "the upstream's usage logged");
      assert.equal(row.usageEstimated, false, 'reported, not estimated');
    });

    it('raw embedContent: one vector as {embedding: {values}}; an image part is a 400 naming it', async () => {
      local.route('/v1/embeddings', openAIAnswer);
      const raw = await rawEmbed('embed-local', 'embedContent', { content: { parts: [{ text: 'a' }, { text: 'b' }] } });
      assert.equal(raw.status, 200, 'served');
      assert.deepEqual(await raw.json(), { embedding: { values: VECTORS[0] } }, "Gemini's embedContent shape");
      assert.deepEqual(asRecord(local.requests[0]?.json, 'body').input, ['a\nb'], 'the parts joined into one text');
      const image = await rawEmbed('embed-local', 'batchEmbedContents', {
        requests: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }] } }],
      });
      assert.equal(image.status, 400, 'refused');
      const error = asRecord(asRecord(await image.json(), 'body').error, 'error');
      assert.equal(error.status, 'INVALID_ARGUMENT', "Google's envelope");
      assert.match(String(error.message), /requests\[0\]\.content\.parts\[0\]/, 'names the part');
      assert.equal(local.requests.length, 1, 'no upstream call for the refused one');
    });
  });

  it("Anthropic has no embeddings: 400 in Google's envelope naming the model, no upstream call", async () => {
    const error = await ai.models.embedContent({ model: 'embed-claude', contents: 'hello' }).then(
      () => assert.fail('embeddings from an Anthropic model'),
      (thrown: unknown) => thrown as Error,
    );
    assert.match(error.message, /400/, `a 400 (${error.message})`);
    assert.match(error.message, /INVALID_ARGUMENT/, "Google's status");
    assert.match(error.message, /embed-claude/, 'names the model');
    assert.equal(claude.requests.length, 0, 'no upstream call');
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: Array<[string, object, RegExp]> = [
      ['batchEmbedContents', {}, /'requests'/],
      [
        'batchEmbedContents',
        { requests: [{ content: { parts: [{ text: 'a' }] }, outputDimensionality: 0 }] },
        /requests\[0\]\.outputDimensionality/,
      ],
      ['embedContent', { content: { parts: [] } }, /content\.parts/],
      ['embedContent', { content: { parts: [{ text: 'a' }] }, taskType: 5 }, /taskType/],
    ];
    for (const [method, body, named] of cases) {
      const response = await rawEmbed('embed-gemini', method, body);
      assert.equal(response.status, 400, `${method} ${JSON.stringify(body)} refused`);
      const error = asRecord(asRecord(await response.json(), 'body').error, 'error');
      assert.match(String(error.message), named, `names the field (${String(error.message)})`);
    }
    assert.equal(google.requests.length, 0, 'no upstream call');
  });
});
