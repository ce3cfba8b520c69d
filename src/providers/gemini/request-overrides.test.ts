/** provider_options.gemini (client) and bodyOverrides (deployment): merge and precedence. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBody } from '../../../test/support/providers/gemini/test-helpers.ts';

const user = [{ role: 'user' as const, content: 'Hi' }];
const tool = {
  type: 'function' as const,
  function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
};

describe('Gemini request: provider options and deployment overrides', () => {
  it('client provider_options.gemini is merged over the mapped body (objects key by key, tools appended)', () => {
    const { body, warnings } = buildBody({
      messages: user,
      temperature: 0.2,
      tools: [tool],
      provider_options: {
        gemini: {
          generationConfig: { topK: 3, temperature: 0.9 },
          safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
          tools: [{ googleSearch: {} }],
          cachedContent: 'cachedContents/abc',
        },
      },
    });
    assert.deepEqual(body.generationConfig, { temperature: 0.9, topK: 3 });
    assert.deepEqual(body.safetySettings, [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
    assert.deepEqual(body.tools, [
      { functionDeclarations: [{ name: 'f', parametersJsonSchema: tool.function.parameters }] },
      { googleSearch: {} },
    ]);
    assert.equal(body.cachedContent, 'cachedContents/abc');
    assert.deepEqual(warnings, []);
  });

  it('the deployment wins over the client (and says so in the warnings); null removes a key', () => {
    const { body, warnings } = buildBody(
      {
        messages: user,
        temperature: 0.2,
        provider_options: {
          gemini: {
            safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
            generationConfig: { topK: 3 },
          },
        },
      },
      {
        bodyOverrides: {
          safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_LOW_AND_ABOVE' }],
          generationConfig: { temperature: 1, topK: null },
        },
      },
    );
    assert.deepEqual(body.safetySettings, [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_LOW_AND_ABOVE' }]);
    assert.deepEqual(body.generationConfig, { temperature: 1 });
    assert.deepEqual(warnings, [
      "safetySettings set by the deployment's bodyOverrides",
      "generationConfig.temperature set by the deployment's bodyOverrides",
      "generationConfig.topK set by the deployment's bodyOverrides",
    ]);
  });

  it('thinkingConfig from provider options replaces the mapped one whole (level and budget never both)', () => {
    const { body } = buildBody(
      {
        messages: user,
        reasoning_effort: 'low',
        provider_options: { gemini: { generationConfig: { thinkingConfig: { thinkingBudget: 300 } } } },
      },
      { model: 'gemini-3-pro-preview' },
    );
    assert.deepEqual(body.generationConfig, { thinkingConfig: { thinkingBudget: 300 } });
  });
});
