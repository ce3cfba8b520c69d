/** reasoning_effort → thinkingConfig (the table in reasoning.ts), per model family. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBody } from '../../../test/support/providers/gemini/test-helpers.ts';
import { GatewayError } from '../../core/errors.ts';

const user = [{ role: 'user' as const, content: 'Hi' }];
const thinking = (model: string, effort: string, dropUnsupported = false) => {
  const { body, warnings } = buildBody(
    { messages: user, reasoning_effort: effort },
    { model, capabilities: { dropUnsupported } },
  );
  return { config: (body.generationConfig as { thinkingConfig?: unknown } | undefined)?.thinkingConfig, warnings };
};

describe('Gemini request: reasoning_effort', () => {
  it('Gemini 2.5 Flash / Flash-Lite: thinkingBudget 0 / 512 / 1024 / 2048 / 4096 / 8192, thoughts included', () => {
    for (const model of ['gemini-2.5-flash', 'gemini-2.5-flash-lite']) {
      assert.deepEqual(thinking(model, 'none'), { config: { thinkingBudget: 0 }, warnings: [] });
      assert.deepEqual(thinking(model, 'minimal').config, { thinkingBudget: 512, includeThoughts: true });
      assert.deepEqual(thinking(model, 'low').config, { thinkingBudget: 1024, includeThoughts: true });
      assert.deepEqual(thinking(model, 'medium').config, { thinkingBudget: 2048, includeThoughts: true });
      assert.deepEqual(thinking(model, 'high').config, { thinkingBudget: 4096, includeThoughts: true });
      assert.deepEqual(thinking(model, 'xhigh').config, { thinkingBudget: 8192, includeThoughts: true });
    }
  });

  it('Gemini 2.5 Pro cannot turn thinking off: none and minimal send its minimum, 128', () => {
    const none = thinking('gemini-2.5-pro', 'none');
    assert.deepEqual(none.config, { thinkingBudget: 128 });
    assert.deepEqual(none.warnings, [
      'reasoning_effort none: this model cannot turn thinking off; thinkingBudget 128 sent',
    ]);
    assert.deepEqual(thinking('gemini-2.5-pro', 'minimal').config, { thinkingBudget: 128, includeThoughts: true });
    assert.deepEqual(thinking('gemini-2.5-pro', 'high').config, { thinkingBudget: 4096, includeThoughts: true });
  });

  it('Gemini 3 Pro takes thinkingLevel low/high: the others go to the nearest level with a warning', () => {
    const model = 'gemini-3-pro-preview';
    assert.deepEqual(thinking(model, 'low'), { config: { thinkingLevel: 'low', includeThoughts: true }, warnings: [] });
    assert.deepEqual(thinking(model, 'high'), {
      config: { thinkingLevel: 'high', includeThoughts: true },
      warnings: [],
    });
    assert.deepEqual(thinking(model, 'medium'), {
      config: { thinkingLevel: 'high', includeThoughts: true },
      warnings: ['reasoning_effort medium sent as thinkingLevel high (levels of this model: low, high)'],
    });
    assert.deepEqual(thinking(model, 'minimal').config, { thinkingLevel: 'low', includeThoughts: true });
    assert.deepEqual(thinking(model, 'none').config, { thinkingLevel: 'low' });
    assert.deepEqual(thinking(model, 'xhigh').config, { thinkingLevel: 'high', includeThoughts: true });
  });

  it('Gemini 3.1 Pro adds medium; Gemini 3 Flash takes minimal/low/medium/high', () => {
    assert.deepEqual(thinking('gemini-3.1-pro-preview', 'medium'), {
      config: { thinkingLevel: 'medium', includeThoughts: true },
      warnings: [],
    });
    assert.deepEqual(thinking('gemini-3.1-pro-preview', 'minimal').config, {
      thinkingLevel: 'low',
      includeThoughts: true,
    });
    const flash = 'gemini-3-flash-preview';
    for (const level of ['minimal', 'low', 'medium', 'high']) {
      assert.deepEqual(thinking(flash, level), {
        config: { thinkingLevel: level, includeThoughts: true },
        warnings: [],
      });
    }
    const none = thinking(flash, 'none');
    assert.deepEqual(none.config, { thinkingLevel: 'minimal' });
    assert.equal(none.warnings.length, 1);
  });

  it('models without thinking: reasoning_effort is unsupported (none is a no-op)', () => {
    assert.throws(
      () => thinking('gemini-2.0-flash', 'high'),
      (error: unknown) =>
        error instanceof GatewayError && error.code === 'unsupported_parameter' && error.param === 'reasoning_effort',
    );
    assert.deepEqual(thinking('gemini-2.0-flash', 'none'), { config: undefined, warnings: [] });
    const dropped = thinking('gemini-2.0-flash', 'low', true);
    assert.equal(dropped.config, undefined);
    assert.match(dropped.warnings[0] ?? '', /^reasoning_effort dropped/);
  });

  it('no reasoning_effort: no thinkingConfig (the model default)', () => {
    assert.equal(buildBody({ messages: user }, { model: 'gemini-3-pro-preview' }).body.generationConfig, undefined);
  });
});
