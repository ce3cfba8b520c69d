/** OpenAI `/embeddings` for OpenAI-format upstreams: passthrough, canonical requests, Azure's URLs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { EmbeddingRequest } from '../../core/types.ts';
import { azureAdapter, azureBaseUrl } from '../azure/index.ts';
import type { DeploymentTarget } from '../types.ts';
import { createOpenAIEmbeddings, fromOpenAIEmbeddings } from './embeddings.ts';

const target = (overrides: Partial<DeploymentTarget> = {}): DeploymentTarget => ({
  providerName: 'oa',
  providerType: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-up',
  model: 'text-embedding-3-small',
  capabilities: {},
  ...overrides,
});

const request: EmbeddingRequest = { model: 'embed', inputs: ['a', 'b'] };
const hooks = createOpenAIEmbeddings();
const isBadResponse = (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response';

describe('OpenAI-format embeddings', () => {
  it('passthrough: the body as sent with model rewritten; usage read from the answer', () => {
    const body = { model: 'embed', input: [[1, 2]], encoding_format: 'base64', dimensions: 8, user: 'u', extra: 1 };
    const prepared = hooks.passthrough?.prepare(body, target());
    assert.ok(prepared, 'passthrough hooks');
    assert.equal(prepared.request.url, 'https://api.openai.com/v1/embeddings', 'embeddings URL');
    assert.equal(prepared.request.headers.authorization, 'Bearer sk-up', 'bearer key');
    assert.deepEqual(JSON.parse(String(prepared.request.body)), { ...body, model: 'text-embedding-3-small' }, 'body');
    const answer = Buffer.from('{"object":"list","data":[],"model":"m","usage":{"prompt_tokens":9,"total_tokens":9}}');
    const read = prepared.readBody(answer);
    assert.equal(read.body, answer, 'the same bytes go to the client');
    assert.equal(read.usage?.inputTokens, 9, 'prompt_tokens read');
    assert.equal(read.usage?.outputTokens, 0, 'no output tokens');
    assert.equal(prepared.readBody(Buffer.from('{"object":"list","data":[]}')).usage, undefined, 'no usage');
    assert.throws(() => prepared.readBody(Buffer.from('{"choices":[]}')), isBadResponse, 'not an embeddings list');
  });

  it('a canonical request is built as floats, with dimensions and user', () => {
    const built = hooks.buildEmbeddingRequest({ ...request, dimensions: 4, user: 'u' }, target());
    assert.deepEqual(
      JSON.parse(String(built.request.body)),
      { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float', dimensions: 4, user: 'u' },
      'OpenAI body',
    );
  });

  it('the answer: vectors by index, base64 decoded as little-endian float32', () => {
    const b64 = Buffer.from(new Float32Array([0.5, -1]).buffer).toString('base64');
    const body = {
      data: [
        { index: 1, embedding: b64 },
        { index: 0, embedding: [0.25, 0.75] },
      ],
      usage: { prompt_tokens: 3, total_tokens: 3 },
    };
    const result = fromOpenAIEmbeddings(body, request);
    assert.deepEqual(
      result.embeddings,
      [
        [0.25, 0.75],
        [0.5, -1],
      ],
      'in input order',
    );
    assert.equal(result.usage?.inputTokens, 3, 'usage');
    for (const bad of [{}, { data: [{ index: 0, embedding: [1] }] }, { data: [{ index: 0 }, { index: 0 }] }]) {
      assert.throws(() => fromOpenAIEmbeddings(bad, request), isBadResponse, JSON.stringify(bad));
    }
  });

  it("Azure: the embeddings URL is the chat completions URL's sibling, classic and v1", () => {
    const azure = azureAdapter.embeddings?.passthrough;
    assert.ok(azure, 'Azure has embeddings');
    const classic = azureBaseUrl({ name: 'az', type: 'azure', endpoint: 'https://r.openai.azure.com' });
    const body = { model: 'embed', input: 'a' };
    assert.equal(
      azure.prepare(body, target({ baseUrl: classic, model: 'my-embed' })).request.url,
      'https://r.openai.azure.com/openai/deployments/my-embed/embeddings?api-version=2024-10-21',
      'classic',
    );
    const v1 = azureBaseUrl({ name: 'az', type: 'azure', endpoint: 'https://r.openai.azure.com', v1: true });
    const prepared = azure.prepare(body, target({ baseUrl: v1 }));
    assert.equal(prepared.request.url, 'https://r.openai.azure.com/openai/v1/embeddings', 'v1');
    assert.equal(prepared.request.headers['api-key'], 'sk-up', 'Azure key header');
  });
});
