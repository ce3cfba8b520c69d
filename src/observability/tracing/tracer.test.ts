import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { genAiOperationName, genAiProviderName } from './gen-ai-names.ts';
import { requestParams } from './request-params.ts';
import type { TracingSettings } from './settings.ts';
import { Tracer } from './tracer.ts';

function tracer(sampleRatio: number): Tracer {
  const settings: TracingSettings = {
    tracesUrl: 'http://127.0.0.1:1/v1/traces',
    headers: {},
    resource: { 'service.name': 'llmux' },
    sampleRatio,
    captureContent: false,
    secrets: [],
  };
  return new Tracer({ settings, logger: { warn: () => undefined }, upstreamOf: () => undefined, version: 'test' });
}

describe('Tracer', () => {
  it('sampleRatio 0 samples no new trace, 1 every one; a caller’s flag wins over the ratio', async () => {
    const none = tracer(0);
    const all = tracer(1);
    for (let i = 0; i < 50; i++) {
      assert.equal(none.begin(undefined, undefined).sampled, false);
      assert.equal(all.begin(undefined, undefined).sampled, true);
    }
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    assert.equal(none.begin(parent, undefined).sampled, true, 'a sampled caller is followed');
    assert.equal(all.begin(parent.replace(/01$/, '00'), undefined).sampled, false, 'so is an unsampled one');
    await Promise.all([none.shutdown(), all.shutdown()]);
  });

  it('an attempt gets a fresh span id, carried in its traceparent with the trace’s flag and tracestate', async () => {
    const t = tracer(1);
    const trace = t.begin('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'k=v');
    const one = t.attempt(trace);
    const two = t.attempt(trace);
    assert.notEqual(one.spanId, two.spanId);
    assert.notEqual(one.spanId, trace.spanId);
    assert.deepEqual(one.headers, { traceparent: `00-${trace.traceId}-${one.spanId}-01`, tracestate: 'k=v' });
    await t.shutdown();
  });

  it('an unsampled request queues no span', async () => {
    const t = tracer(0);
    const trace = t.begin(undefined, undefined);
    t.record({
      timestamp: 1,
      requestId: 'r',
      keyName: null,
      team: null,
      publicModel: 'm',
      provider: null,
      upstreamModel: null,
      status: 200,
      latencyMs: 1,
      ttftMs: null,
      stream: false,
      attempts: 0,
      inputTokens: null,
      outputTokens: null,
      usageEstimated: false,
      costMicros: null,
      surface: 'openai-chat',
      errorCode: null,
      fallbackModels: null,
      trace,
    });
    await t.shutdown();
    assert.deepEqual(t.stats, { exported: 0, dropped: 0, failed: 0 }, 'nothing was even attempted');
  });
});

describe('GenAI names and request parameters', () => {
  it('gen_ai.provider.name: well-known values by type, then by an OpenAI-compatible provider’s name', () => {
    assert.equal(genAiProviderName('main', 'openai'), 'openai');
    assert.equal(genAiProviderName('claude', 'anthropic'), 'anthropic');
    assert.equal(genAiProviderName('google', 'gemini'), 'gcp.gemini');
    assert.equal(genAiProviderName('eu', 'azure'), 'azure.ai.openai');
    assert.equal(genAiProviderName('Mistral', 'openai-compatible'), 'mistral_ai');
    assert.equal(genAiProviderName('x-ai', 'openai-compatible'), 'x_ai');
    assert.equal(genAiProviderName('local-vllm', 'openai-compatible'), 'local-vllm');
  });

  it('gen_ai.operation.name by surface', () => {
    assert.equal(genAiOperationName('openai-chat'), 'chat');
    assert.equal(genAiOperationName('anthropic-messages'), 'chat');
    assert.equal(genAiOperationName('openai-embeddings'), 'embeddings');
    assert.equal(genAiOperationName('gemini'), 'generate_content');
  });

  it('temperature and top_p off the wire body; Gemini’s in generationConfig', () => {
    assert.deepEqual(requestParams('openai-chat', { temperature: 0.2, top_p: 1 }, 100), {
      maxTokens: 100,
      temperature: 0.2,
      topP: 1,
    });
    assert.deepEqual(requestParams('gemini', { generationConfig: { temperature: 1.5, topP: 0.9 } }, undefined), {
      maxTokens: null,
      temperature: 1.5,
      topP: 0.9,
    });
    assert.deepEqual(requestParams('anthropic-messages', { temperature: 'hot' }, undefined), {
      maxTokens: null,
      temperature: null,
      topP: null,
    });
  });
});
