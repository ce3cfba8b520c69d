/**
 * Tracing in a real `llmux serve` process configured only by the standard OTEL_* variables: the
 * spans of a request answered just before SIGTERM leave with the shutdown's last export, collector
 * headers stay out of the logs, and with tracing off the tracer and exporter are never loaded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type LlmuxChild, oneUpstreamYaml, startLlmuxChild, writeDataDir } from '../support/llmux-child.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { type Collector, startCollector } from '../support/otlp-collector.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

const CLIENT = { name: 'tracer-test', key: 'sk-llmux-tracing-process-key' };
const COLLECTOR_TOKEN = 'otlp-bearer-token-0123456789abcdef';
const HOOK = join(import.meta.dirname, '..', 'support', 'module-load-log.mjs');

async function chat(child: LlmuxChild, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${child.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT.key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('tracing in a real process', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function run(env: Record<string, string>): Promise<{
    child: LlmuxChild;
    sim: Simulator;
    modules: () => string;
  }> {
    const sim = await startUpstreamSimulator();
    cleanups.push(() => sim.close());
    const data = writeDataDir(
      'llmux-tracing-',
      (dbPath) => `${oneUpstreamYaml(sim.url, CLIENT)}store: { sqlite: "${dbPath}" }\n`,
    );
    cleanups.push(() => data.remove());
    const moduleLog = join(data.dir, 'modules.log');
    const child = await startLlmuxChild(data.configPath, {
      env: { ...env, LLMUX_MODULE_LOG: moduleLog, NODE_OPTIONS: `--import ${HOOK}` },
    });
    cleanups.push(async () => {
      await child.stop('SIGKILL');
    });
    return { child, sim, modules: () => readFileSync(moduleLog, 'utf8') };
  }

  it('OTEL_* variables: spans exported on SIGTERM, resource and headers honoured, secrets out of the logs', async () => {
    const collector: Collector = await startCollector();
    cleanups.push(() => collector.close());
    const { child, sim, modules } = await run({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${COLLECTOR_TOKEN}`,
      OTEL_SERVICE_NAME: 'gateway-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test,service.namespace=ai',
    });
    sim.enqueue(openAIAnswer('traced'));
    const response = await chat(child);
    assert.equal(response.status, 200);
    await response.text();
    // At once, well inside the exporter's 2 s interval: only the shutdown flush can send the spans.
    const exit = await child.stop('SIGTERM');
    assert.equal(exit.code, 0, child.output());
    assert.equal(collector.spans.length, 2, `the request's two spans arrived before exit\n${child.output()}`);
    const server = collector.spans.find((span) => span.kind === 2);
    assert.ok(server, 'a server span');
    assert.equal(server.resource['service.name'], 'gateway-eu');
    assert.equal(server.resource['deployment.environment'], 'test');
    assert.equal(server.resource['service.namespace'], 'ai');
    assert.equal(server.attributes['llmux.key'], CLIENT.name);
    assert.equal(collector.requests[0]?.path, '/v1/traces', '/v1/traces appended to the base endpoint');
    assert.equal(collector.requests[0]?.headers.authorization, `Bearer ${COLLECTOR_TOKEN}`);
    assert.ok(!child.output().includes(COLLECTOR_TOKEN), 'the collector token is never logged');
    assert.ok(!child.output().includes(CLIENT.key), 'the client key is never logged');
    assert.ok(
      !JSON.stringify(collector.spans, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(CLIENT.key),
      'no client key in a span',
    );
    assert.match(modules(), /observability\/tracing\/batch-exporter\.ts/, 'the exporter was loaded');
  });

  it('tracing off: no traceparent upstream, the tracer and its exporter never loaded', async () => {
    const { child, sim, modules } = await run({});
    sim.enqueue(openAIAnswer('untraced'));
    const response = await chat(child, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    assert.equal(response.status, 200);
    await response.text();
    assert.equal(sim.requests[0]?.headers.traceparent, undefined, 'no traceparent upstream');
    const loaded = modules();
    assert.match(loaded, /src\/app\/tracing\.ts/, 'the module log works (the composition root was seen)');
    assert.doesNotMatch(loaded, /tracing\/tracer\.ts/, 'the tracer is not loaded');
    assert.doesNotMatch(loaded, /tracing\/batch-exporter\.ts/, 'the exporter is not loaded');
    await child.stop('SIGTERM');
  });
});
