import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { geminiUrl } from './request.ts';

describe('geminiUrl', () => {
  it('puts the model under models/ and keeps a models/ or tunedModels/ prefix', () => {
    assert.equal(
      geminiUrl('http://h', 'gemini-2.5-flash', false),
      'http://h/v1beta/models/gemini-2.5-flash:generateContent',
    );
    assert.equal(
      geminiUrl('http://h/v1', 'tunedModels/t1', true),
      'http://h/v1/tunedModels/t1:streamGenerateContent?alt=sse',
    );
  });

  it('encodes characters that would change the URL', () => {
    const url = new URL(geminiUrl('http://h', 'x?y#z%2e', false));
    assert.equal(url.pathname, '/v1beta/models/x%3Fy%23z%252e:generateContent', 'stays one segment under models/');
    assert.equal(url.search, '', 'no query from the model name');
  });

  it('refuses dot segments: URL parsing would resolve them to another path on the host', () => {
    for (const model of ['a/../../../admin/delete', '..', 'models/../files', 'tunedModels/./x']) {
      assert.throws(
        () => geminiUrl('http://h', model, false),
        (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'model',
        model,
      );
    }
  });
});
