/** The `/v1/embeddings` body: what is accepted, what is a 400 naming the field, and base64 rendering. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../core/errors.ts';
import { float32Base64, toOpenAIEmbeddingList } from './render.ts';
import { MAX_EMBEDDING_INPUTS, validateEmbeddingRequest } from './validate.ts';

function paramOf(body: unknown): string | null {
  try {
    validateEmbeddingRequest(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError && error.status === 400, `a 400 for ${JSON.stringify(body)}`);
    return error.param;
  }
  assert.fail(`accepted ${JSON.stringify(body)}`);
}

describe('embeddings request validation', () => {
  it('the four input forms; texts only for strings, token ids counted', () => {
    assert.deepEqual(validateEmbeddingRequest({ model: 'm', input: 'a' }).texts, ['a'], 'a string');
    assert.deepEqual(validateEmbeddingRequest({ model: 'm', input: ['a', 'b'] }).texts, ['a', 'b'], 'strings');
    const tokens = validateEmbeddingRequest({ model: 'm', input: [1, 2, 3] });
    assert.equal(tokens.texts, undefined, 'token ids are not texts');
    assert.equal(tokens.tokenIds, 3, 'one token array');
    assert.equal(validateEmbeddingRequest({ model: 'm', input: [[1], [2, 3]] }).tokenIds, 3, 'token arrays');
  });

  it('unknown fields are kept as extra fields', () => {
    const validated = validateEmbeddingRequest({ model: 'm', input: 'a', truncate: 'END', user: 'u' });
    assert.deepEqual(validated.extraFields, { truncate: 'END' }, 'extra fields');
  });

  it('each invalid field is named', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'body'],
      [{ input: 'a' }, 'model'],
      [{ model: '', input: 'a' }, 'model'],
      [{ model: 'm' }, 'input'],
      [{ model: 'm', input: 5 }, 'input'],
      [{ model: 'm', input: [] }, 'input'],
      [{ model: 'm', input: Array(MAX_EMBEDDING_INPUTS + 1).fill('a') }, 'input'],
      [{ model: 'm', input: ['a', ''] }, 'input[1]'],
      [{ model: 'm', input: [1, -1] }, 'input[1]'],
      [{ model: 'm', input: [[1], []] }, 'input[1]'],
      [{ model: 'm', input: [[1], 'a'] }, 'input[1]'],
      [{ model: 'm', input: 'a', encoding_format: 'int8' }, 'encoding_format'],
      [{ model: 'm', input: 'a', dimensions: 1.5 }, 'dimensions'],
      [{ model: 'm', input: 'a', user: 1 }, 'user'],
    ];
    for (const [body, param] of cases) assert.equal(paramOf(body), param, JSON.stringify(body).slice(0, 80));
  });
});

describe('embeddings rendering', () => {
  it('base64 is little-endian float32, as OpenAI sends it', () => {
    const encoded = float32Base64([0.5, -2, 0.1]);
    const bytes = Buffer.from(encoded, 'base64');
    assert.equal(bytes.length, 12, 'four bytes a value');
    assert.deepEqual([bytes.readFloatLE(0), bytes.readFloatLE(4), bytes.readFloatLE(8)], [0.5, -2, Math.fround(0.1)]);
    assert.equal(
      encoded,
      Buffer.from(new Float32Array([0.5, -2, 0.1]).buffer).toString('base64'),
      'Float32Array bytes',
    );
  });

  it("the list shape, with the request's model and usage", () => {
    const result = { embeddings: [[1, 2]], usage: { inputTokens: 5, outputTokens: 0, estimated: true } };
    assert.deepEqual(toOpenAIEmbeddingList(result, 'embed', 'float'), {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [1, 2] }],
      model: 'embed',
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
  });
});
