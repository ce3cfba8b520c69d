/**
 * `GET /v1/models[/{id}]` errors for Anthropic clients: with `anthropic-version` (which
 * `@anthropic-ai/sdk` always sends) a bad key and an unknown model come in Anthropic's envelope;
 * without it they keep OpenAI's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic, { AuthenticationError, NotFoundError } from '@anthropic-ai/sdk';
import { type AnthropicSurfaceSetup, startAnthropicSurface } from '../support/anthropic-surface.ts';
import { asRecord } from '../support/json-guards.ts';

describe('GET /v1/models errors in Anthropic envelope for Anthropic clients', () => {
  let setup: AnthropicSurfaceSetup;

  before(async () => {
    setup = await startAnthropicSurface();
  });
  after(() => setup.close());

  it('models.retrieve of an unknown model: 404 not_found_error', async () => {
    const error = await setup.anthropic.models.retrieve('nope').then(
      () => assert.fail('an unknown model was found'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof NotFoundError, `a NotFoundError, got ${String(error)}`);
    const body = asRecord(error.error, 'error body');
    assert.equal(body.type, 'error', 'Anthropic envelope');
    const inner = asRecord(body.error, 'inner error');
    assert.equal(inner.type, 'not_found_error', 'Anthropic error type');
    assert.match(String(inner.message), /nope/, 'the message names the model');
  });

  it('a bad key on the list and on one model: 401 authentication_error', async () => {
    const client = new Anthropic({ apiKey: 'sk-wrong', baseURL: setup.gateway.llmux.url, maxRetries: 0 });
    for (const call of [() => client.models.list(), () => client.models.retrieve('local-model')]) {
      const error = await call().then(
        () => assert.fail('a bad key was accepted'),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof AuthenticationError, `an AuthenticationError, got ${String(error)}`);
      const body = asRecord(error.error, 'error body');
      assert.equal(asRecord(body.error, 'inner error').type, 'authentication_error', 'Anthropic error type');
      assert.ok(!JSON.stringify(body).includes('sk-wrong'), 'the presented key is not echoed');
    }
  });

  it('without anthropic-version the same errors keep OpenAI envelope', async () => {
    const { url, apiKey } = setup.gateway.llmux;
    const missing = await fetch(`${url}/v1/models/nope`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(missing.status, 404, 'not found');
    const missingBody = asRecord(await missing.json(), 'body');
    assert.equal(asRecord(missingBody.error, 'error').code, 'model_not_found', 'OpenAI error code');
    const denied = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer sk-wrong' } });
    assert.equal(denied.status, 401, 'bad key');
    const deniedBody = asRecord(await denied.json(), 'body');
    assert.equal(deniedBody.type, undefined, 'no Anthropic envelope');
    assert.equal(typeof asRecord(deniedBody.error, 'error').message, 'string', 'OpenAI envelope');
    const listed = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(asRecord(await listed.json(), 'list').object, 'list', 'OpenAI list shape still served');
  });
});
