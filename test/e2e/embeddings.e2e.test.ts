/**
 * `POST /v1/embeddings` end to end with the official `openai` SDK (`embeddings.create`): OpenAI
 * passthrough, Gemini through `batchEmbedContents`, refusals, fallbacks and the request log.
 * No recorded embeddings traffic exists in the shared fixtures: the upstream answers follow the
 * documented shapes (OpenAI's `CreateEmbeddingResponse` example in test/fixtures/specs/openapi.yaml;
 * Gemini's `BatchEmbedContentsResponse` in test/fixtures/specs/gemini-v1beta-protos/generative_service.proto,
 * which has no usage).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthenticationError, BadRequestError, RateLimitError } from 'openai';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { rejection } from '../support/sdk-helpers.ts';
import type { SimRequest, Simulator } from '../support/upstream-simulator.ts';
import { logRow } from './routing-support.ts';

const VECTORS = [
  [0.0023064255, -0.009327292, 0.015797347],
  [-0.0028842222, 0.0117, -0.25],
];
const float32 = (vector: number[]): number[] => vector.map((x) => Math.fround(x));
const base64Of = (vector: number[]): string => Buffer.from(new Float32Array(vector).buffer).toString('base64');

function openAIList(vectors: number[][], format: 'float' | 'base64', promptTokens: number): JsonRecord {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? base64Of(vector) : vector,
    })),
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** Answers an OpenAI embeddings request in the format it asked for. */
function openAIAnswer(promptTokens: number) {
  return (req: SimRequest) => {
    const body = isRecord(req.json) ? req.json : {};
    const count = Array.isArray(body.input) ? body.input.length : 1;
    const format = body.encoding_format === 'base64' ? 'base64' : 'float';
    return { kind: 'json' as const, body: openAIList(VECTORS.slice(0, count), format, promptTokens) };
  };
}

const geminiAnswer = (vectors: number[][]) => ({
  kind: 'json' as const,
  body: { embeddings: vectors.map((values) => ({ values })) },
});

const CONFIG = `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: embed-openai
    deployments: [{ provider: oa, model: text-embedding-3-small }]
  - name: embed-gemini
    deployments: [{ provider: google, model: gemini-embedding-001 }]
  - name: embed-claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: embed-limited
    deployments: [{ provider: limited, model: text-embedding-3-small }]
  - name: embed-with-fallback
    fallbacks: [embed-openai]
    deployments: [{ provider: google, model: gemini-embedding-001 }]
`;

describe('embeddings: POST /v1/embeddings through the openai SDK', () => {
  let gateway: Gateway;
  let oa: Simulator;
  let google: Simulator;
  let claude: Simulator;

  before(async () => {
    gateway = await startGateway({
      upstreams: { oa: 'openai', google: 'gemini', claude: 'anthropic', limited: 'openai-compatible' },
      config: CONFIG,
    });
    oa = simOf(gateway, 'oa');
    google = simOf(gateway, 'google');
    claude = simOf(gateway, 'claude');
  });
  after(() => gateway?.close());
  beforeEach(() => {
    for (const sim of [oa, google, claude]) sim.reset();
  });

  it('OpenAI, float: the body passes through with only model rewritten; usage and cost are logged', async () => {
    oa.route('/v1/embeddings', openAIAnswer(50_000));
    const { data: list, response } = await gateway.client.embeddings
      .create({ model: 'embed-openai', input: ['one', 'two'], encoding_format: 'float', dimensions: 3, user: 'u-1' })
      .withResponse();
    assert.deepEqual(
      list.data.map((item) => item.embedding),
      VECTORS,
      'the vectors as the upstream sent them',
    );
    assert.equal(list.usage.prompt_tokens, 50_000, 'the upstream usage reaches the client');
    const sent = oa.requests[0];
    assert.ok(sent, 'one upstream request');
    assert.equal(sent.path, '/v1/embeddings', 'sent to the embeddings endpoint');
    assert.deepEqual(
      sent.json,
      { model: 'text-embedding-3-small', input: ['one', 'two'], encoding_format: 'float', dimensions: 3, user: 'u-1' },
      'encoding_format, dimensions and user forwarded, model rewritten',
    );
    assert.equal(response.headers.get('x-llmux-provider'), 'oa', 'served-by header');
    const row = await logRow(gateway.llmux, response.headers.get('x-request-id'));
    assert.equal(row.surface, 'openai-embeddings', 'surface recorded');
    assert.equal(row.publicModel, 'embed-openai', 'public model recorded');
    assert.equal(row.inputTokens, 50_000, 'prompt_tokens logged');
    assert.equal(row.outputTokens, 0, 'no output tokens');
    assert.equal(row.usageEstimated, false, 'usage reported, not estimated');
    assert.equal(row.costMicros, 1000, '50k tokens of text-embedding-3-small at $0.02/M = $0.001');
  });

  it('OpenAI, base64 (the SDK default): passed through and decoded by the SDK', async () => {
    oa.route('/v1/embeddings', openAIAnswer(4));
    const list = await gateway.client.embeddings.create({ model: 'embed-openai', input: 'one' });
    assert.equal(
      isRecord(oa.requests[0]?.json) && oa.requests[0]?.json.encoding_format,
      'base64',
      'SDK asked for base64',
    );
    assert.deepEqual(Array.from(list.data[0]?.embedding ?? []), float32(VECTORS[0] ?? []), 'decoded float32 vector');
  });

  it('OpenAI: token arrays pass through untouched', async () => {
    oa.route('/v1/embeddings', openAIAnswer(3));
    await gateway.client.embeddings.create({ model: 'embed-openai', input: [[1, 2, 3]], encoding_format: 'float' });
    const sent = oa.requests[0]?.json;
    assert.ok(isRecord(sent), 'upstream body');
    assert.deepEqual(sent.input, [[1, 2, 3]], 'token ids forwarded');
  });

  it('Gemini, float: translated to batchEmbedContents; usage estimated and priced', async () => {
    google.route('/v1beta/models/gemini-embedding-001:batchEmbedContents', () => geminiAnswer(VECTORS));
    const { data: list, response } = await gateway.client.embeddings
      .create({ model: 'embed-gemini', input: ['hello world', 'goodbye'], encoding_format: 'float', dimensions: 3 })
      .withResponse();
    assert.deepEqual(
      list.data.map((item) => [item.index, item.embedding]),
      VECTORS.map((vector, index) => [index, vector]),
      'Gemini values as OpenAI embeddings, in order',
    );
    assert.equal(list.object, 'list', 'OpenAI list shape');
    assert.ok(list.usage.prompt_tokens > 0, 'estimated prompt tokens in the answer');
    const sent = google.requests[0];
    assert.ok(sent, 'one upstream request');
    assert.equal(sent.headers['x-goog-api-key'], 'test-key', 'Gemini key header');
    const model = 'models/gemini-embedding-001';
    assert.deepEqual(
      sent.json,
      {
        requests: [
          { model, content: { parts: [{ text: 'hello world' }] }, outputDimensionality: 3 },
          { model, content: { parts: [{ text: 'goodbye' }] }, outputDimensionality: 3 },
        ],
      },
      'one EmbedContentRequest per input, dimensions as outputDimensionality',
    );
    const row = await logRow(gateway.llmux, response.headers.get('x-request-id'));
    assert.equal(row.inputTokens, list.usage.prompt_tokens, 'the estimate logged is the one answered');
    assert.equal(row.usageEstimated, true, 'flagged estimated');
    assert.ok((row.costMicros ?? 0) > 0, 'priced as gemini-embedding-001');
    assert.equal(row.provider, 'google', 'provider logged');
  });

  it('Gemini, base64 (the SDK default): llmux encodes little-endian float32 and the SDK decodes it', async () => {
    google.route('/v1beta/models/gemini-embedding-001:batchEmbedContents', () => geminiAnswer(VECTORS));
    const list = await gateway.client.embeddings.create({ model: 'embed-gemini', input: ['a', 'b'] });
    assert.deepEqual(
      list.data.map((item) => Array.from(item.embedding)),
      VECTORS.map(float32),
      'decoded vectors equal the Gemini values as float32',
    );
  });

  it('Gemini: token arrays are a 400 naming input, before any upstream call', async () => {
    const error = await rejection(
      gateway.client.embeddings.create({ model: 'embed-gemini', input: [[1, 2]], encoding_format: 'float' }),
      BadRequestError,
    );
    assert.equal(error.param, 'input', 'names the field');
    assert.equal(google.requests.length, 0, 'no upstream call');
  });

  it('Anthropic: a 400 naming model ("does not support embeddings"), before any upstream call', async () => {
    const error = await rejection(
      gateway.client.embeddings.create({ model: 'embed-claude', input: 'x', encoding_format: 'float' }),
      BadRequestError,
    );
    assert.equal(error.param, 'model', 'names the field');
    assert.match(error.message, /does not support embeddings/, 'says why');
    assert.equal(claude.requests.length, 0, 'no upstream call');
  });

  it('validation errors are 400s in the OpenAI envelope naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'embed-openai' }, 'input'],
      [{ model: 'embed-openai', input: '' }, 'input'],
      [{ model: 'embed-openai', input: [] }, 'input'],
      [{ model: 'embed-openai', input: ['a', 1] }, 'input[1]'],
      [{ model: 'embed-openai', input: 'a', encoding_format: 'int8' }, 'encoding_format'],
      [{ model: 'embed-openai', input: 'a', dimensions: 0 }, 'dimensions'],
      [{ model: 'embed-openai', input: 'a', user: 5 }, 'user'],
      [{ input: 'a' }, 'model'],
    ];
    for (const [body, param] of cases) {
      const error = await rejection(gateway.client.post('/embeddings', { body }), BadRequestError);
      assert.equal(error.param, param, `${JSON.stringify(body)} names ${param}`);
      assert.equal(error.type, 'invalid_request_error', 'OpenAI error type');
    }
    assert.equal(oa.requests.length, 0, 'no upstream call');
  });

  it('an unknown key is refused like on chat', async () => {
    const client = gateway.client.withOptions({ apiKey: 'sk-llmux-nope' });
    await rejection(client.embeddings.create({ model: 'embed-openai', input: 'x' }), AuthenticationError);
  });

  it('an upstream error reaches the client in the OpenAI envelope', async () => {
    // A provider of its own: the 429 cools its deployment down.
    simOf(gateway, 'limited').route('/v1/embeddings', () => ({
      kind: 'json',
      status: 429,
      body: { error: { message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    }));
    const error = await rejection(
      gateway.client.embeddings.create({ model: 'embed-limited', input: 'x', encoding_format: 'float' }),
      RateLimitError,
    );
    assert.match(error.message, /slow down/, 'the upstream message');
  });

  it('a failing Gemini deployment falls back to the OpenAI model', async () => {
    google.route('/v1beta/models/gemini-embedding-001:batchEmbedContents', () => ({
      kind: 'json',
      status: 503,
      body: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } },
    }));
    oa.route('/v1/embeddings', openAIAnswer(2));
    const { data: list, response } = await gateway.client.embeddings
      .create({ model: 'embed-with-fallback', input: 'x', encoding_format: 'float' })
      .withResponse();
    assert.deepEqual(list.data[0]?.embedding, VECTORS[0], 'answered by the fallback');
    assert.equal(response.headers.get('x-llmux-fallback'), 'embed-with-fallback, embed-openai', 'fallback header');
    assert.equal(google.requests.length, 1, 'Gemini tried once');
    const row = await logRow(gateway.llmux, response.headers.get('x-request-id'));
    assert.equal(row.fallbackModels, 'embed-with-fallback,embed-openai', 'fallback logged');
    assert.equal(row.inputTokens, 2, 'usage of the answer that served');
  });
});
