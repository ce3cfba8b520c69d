/**
 * `GET /v1/models` for Anthropic clients: with `anthropic-version` (which `@anthropic-ai/sdk` always
 * sends) the list and each model come in Anthropic's shapes; other clients keep OpenAI's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AnthropicSurfaceSetup, startAnthropicSurface } from '../support/anthropic-surface.ts';

describe('GET /v1/models in Anthropic shape for Anthropic clients', () => {
  let setup: AnthropicSurfaceSetup;

  before(async () => {
    setup = await startAnthropicSurface();
  });
  after(() => setup.close());

  it('models.list: the models the key may use, never a wildcard pattern, as Anthropic model objects', async () => {
    const ids: string[] = [];
    for await (const model of setup.anthropic.models.list()) {
      assert.equal(model.type, 'model', `${model.id} is an Anthropic model object`);
      assert.equal(typeof model.display_name, 'string', 'with a display name');
      assert.ok(!Number.isNaN(Date.parse(model.created_at)), 'and an RFC 3339 created_at');
      ids.push(model.id);
    }
    assert.deepEqual(ids.sort(), ['gemini-model', 'local-model'], 'the exact names; claude-* is a pattern');
  });

  it('models.retrieve: one model; the OpenAI shape without anthropic-version', async () => {
    const model = await setup.anthropic.models.retrieve('local-model');
    assert.deepEqual([model.type, model.id], ['model', 'local-model'], 'Anthropic shape');
    const openAIShape = await setup.gateway.client.models.retrieve('local-model');
    assert.equal(openAIShape.object, 'model', 'the openai SDK still gets object: model');
  });
});
