/** Canonical embeddings ⇄ Gemini `batchEmbedContents` (shapes from generative_service.proto). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { EmbeddingRequest } from '../../core/types.ts';
import type { DeploymentTarget } from '../types.ts';
import { buildGeminiEmbeddingRequest, fromGeminiEmbeddings } from './embeddings.ts';

const target = (overrides: Partial<DeploymentTarget> = {}): DeploymentTarget => ({
  providerName: 'google',
  providerType: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKey: 'g-key',
  model: 'gemini-embedding-001',
  capabilities: {},
  ...overrides,
});

const request: EmbeddingRequest = { model: 'embed', inputs: ['a', 'b'] };

describe('Gemini embeddings', () => {
  it('one EmbedContentRequest per input, the key in x-goog-api-key, never in the URL', () => {
    const built = buildGeminiEmbeddingRequest({ ...request, dimensions: 256 }, target());
    assert.equal(
      built.request.url,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
      'batchEmbedContents URL',
    );
    assert.equal(built.request.headers['x-goog-api-key'], 'g-key', 'key header');
    const model = 'models/gemini-embedding-001';
    assert.deepEqual(
      JSON.parse(String(built.request.body)),
      {
        requests: [
          { model, content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
          { model, content: { parts: [{ text: 'b' }] }, outputDimensionality: 256 },
        ],
      },
      'dimensions → outputDimensionality',
    );
    assert.deepEqual(built.warnings, [], 'nothing dropped');
  });

  it('user is ignored with a warning; an unknown field is a 400 naming it, or dropped under dropUnsupported', () => {
    const withUser = buildGeminiEmbeddingRequest({ ...request, user: 'u' }, target());
    assert.deepEqual(withUser.warnings, ['user ignored (no Gemini API equivalent)'], 'user warning');
    const extra: EmbeddingRequest = { ...request, extraFields: { truncate: 'END' } };
    assert.throws(
      () => buildGeminiEmbeddingRequest(extra, target()),
      (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'truncate',
      'a 400 naming the field',
    );
    const dropped = buildGeminiEmbeddingRequest(extra, target({ capabilities: { dropUnsupported: true } }));
    assert.deepEqual(dropped.warnings, ['truncate dropped: has no Gemini API equivalent'], 'dropped and listed');
  });

  it('a versioned base URL and a models/ model name are kept as they are', () => {
    const built = buildGeminiEmbeddingRequest(
      request,
      target({ baseUrl: 'http://h/v1', model: 'models/text-embedding-004' }),
    );
    assert.equal(built.request.url, 'http://h/v1/models/text-embedding-004:batchEmbedContents', 'URL');
  });

  it('the answer: values in order; no usage unless the answer counts its prompt', () => {
    const body = { embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] };
    const result = fromGeminiEmbeddings(body, request);
    assert.deepEqual(
      result.embeddings,
      [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      'vectors',
    );
    assert.equal(result.usage, undefined, 'no usage: the gateway estimates it');
    const counted = fromGeminiEmbeddings({ ...body, usageMetadata: { promptTokenCount: 7 } }, request);
    assert.equal(counted.usage?.inputTokens, 7, 'usageMetadata read when present');
  });

  it('an answer without one vector per input is a bad upstream response', () => {
    for (const body of [{}, { embeddings: [{ values: [1] }] }, { embeddings: [{ values: [1] }, { values: ['x'] }] }]) {
      assert.throws(
        () => fromGeminiEmbeddings(body, request),
        (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response',
        JSON.stringify(body),
      );
    }
  });
});
