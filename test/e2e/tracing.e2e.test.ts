/**
 * Traces end to end: llmux in-process with upstream simulators and a stand-in OTLP/HTTP collector
 * that checks and decodes what arrives. The span tree, GenAI attributes, W3C propagation both ways,
 * content capture and the disabled case.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { anthropicStream } from '../support/anthropic-steps.ts';
import { type Gateway, startGateway, type UpstreamType } from '../support/gateway.ts';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { type Collector, type ReceivedSpan, startCollector } from '../support/otlp-collector.ts';
import type { Step } from '../support/upstream-simulator.ts';

const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;
const COLLECTOR_KEY = 'collector-secret-0123456789';
const USER = [{ role: 'user' as const, content: 'tell me a secret recipe' }];

function failure(status: number): Step {
  return { kind: 'json', status, body: { error: { message: `boom ${status}`, type: 'server_error', code: null } } };
}

const ROUTER = `
router:
  retry: { attempts: 2, backoffMs: 10, maxBackoffMs: 20 }
  timeouts: { connectMs: 1000, firstByteMs: 2000, idleMs: 2000, totalMs: 10000 }
`;

function telemetry(collector: Collector, extra = ''): string {
  return `
telemetry:
  otlp:
    endpoint: "${collector.url}"
    headers: { x-collector-key: "${COLLECTOR_KEY}" }
  serviceName: llmux-under-test
${extra}`;
}

describe('tracing: OTLP spans after the GenAI conventions', () => {
  let gateway: Gateway | undefined;
  let collector: Collector | undefined;
  afterEach(async () => {
    await gateway?.close();
    await collector?.close();
    gateway = undefined;
    collector = undefined;
  });

  async function start(
    upstreams: Record<string, UpstreamType>,
    models: string,
    extraTelemetry = '',
    withTracing = true,
  ): Promise<{ gateway: Gateway; collector: Collector }> {
    collector = await startCollector();
    const tracing = withTracing ? telemetry(collector, extraTelemetry) : '';
    gateway = await startGateway({ upstreams, config: `${ROUTER}${models}${tracing}` });
    return { gateway, collector };
  }

  const byKind = (spans: ReceivedSpan[], kind: number) => spans.filter((span) => span.kind === kind);
  const attempt = (spans: ReceivedSpan[], n: number) => {
    const found = spans.find((span) => span.kind === CLIENT && span.attributes['llmux.attempt'] === n);
    assert.ok(found, `a client span for attempt ${n}`);
    return found;
  };

  it('a retry then a success: one server span, two client spans under it, GenAI attributes, traceparent upstream', async () => {
    const { gateway, collector } = await start(
      { a: 'openai-compatible' },
      `
models:
  - name: smart
    deployments: [{ provider: a, model: up-a }]
`,
    );
    gateway.sims.a?.enqueue(
      failure(500),
      openAIAnswer('second time lucky', { prompt_tokens: 11, completion_tokens: 4 }),
    );
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'smart', messages: USER, max_tokens: 50, temperature: 0.25, top_p: 0.5 })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'second time lucky');
    const spans = await collector.waitForSpans(3);
    assert.equal(spans.length, 3, 'exactly three spans');
    assert.deepEqual(collector.malformed, [], 'every export follows the OTLP JSON mapping');

    const [server] = byKind(spans, SERVER);
    assert.ok(server, 'a server span');
    assert.equal(byKind(spans, CLIENT).length, 2, 'two client spans');
    assert.equal(server.name, 'chat smart');
    assert.equal(server.parentSpanId, undefined, 'a new trace: the server span is the root');
    assert.equal(server.resource['service.name'], 'llmux-under-test');
    assert.equal(server.scope.name, 'llmux');
    const a = server.attributes;
    assert.equal(a['gen_ai.operation.name'], 'chat');
    assert.equal(a['gen_ai.provider.name'], 'a', 'an OpenAI-compatible provider is named by its config name');
    assert.equal(a['gen_ai.request.model'], 'smart');
    assert.equal(a['gen_ai.response.model'], 'up-a');
    assert.equal(a['gen_ai.usage.input_tokens'], 11);
    assert.equal(a['gen_ai.usage.output_tokens'], 4);
    assert.deepEqual(a['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(a['gen_ai.request.max_tokens'], 50);
    assert.equal(a['gen_ai.request.temperature'], 0.25);
    assert.equal(a['gen_ai.request.top_p'], 0.5);
    assert.ok(server.doubles.has('gen_ai.request.temperature'), 'temperature is a double');
    assert.equal(a['gen_ai.request.stream'], false);
    assert.equal(a['http.response.status_code'], 200);
    assert.equal(a['llmux.key'], 'test');
    assert.equal(a['llmux.attempt'], 2);
    assert.equal(a['llmux.fallback'], false);
    assert.equal(a['llmux.request_id'], response.headers.get('x-request-id'));
    assert.equal(a['llmux.deployment'], 'smart#0');
    assert.equal(a['llmux.surface'], 'openai-chat');
    assert.equal(a['error.type'], undefined, 'a request that succeeded has no error.type');
    assert.notEqual(server.status.code, STATUS_ERROR);
    assert.equal(a['gen_ai.input.messages'], undefined, 'no content without captureContent');
    assert.equal(a['gen_ai.output.messages'], undefined, 'no content without captureContent');

    const first = attempt(spans, 1);
    const second = attempt(spans, 2);
    for (const client of [first, second]) {
      assert.equal(client.traceId, server.traceId, 'one trace');
      assert.equal(client.parentSpanId, server.spanId, 'attempts are children of the request span');
      assert.equal(client.name, 'chat up-a');
      assert.equal(client.attributes['gen_ai.request.model'], 'up-a');
      assert.equal(client.attributes['server.address'], '127.0.0.1');
      assert.equal(typeof client.attributes['server.port'], 'number');
      assert.ok(client.startNanos >= server.startNanos - 1_000_000n, 'an attempt starts within its request');
      assert.ok(client.endNanos <= server.endNanos + 1_000_000n, 'an attempt ends within its request');
    }
    assert.ok(second.startNanos >= first.endNanos - 1_000_000n, 'the retry comes after the first attempt');
    assert.equal(first.status.code, STATUS_ERROR);
    assert.equal(first.attributes['http.response.status_code'], 500);
    assert.equal(first.attributes['error.type'], 'upstream_error');
    assert.equal(first.attributes['llmux.outcome'], '5xx');
    assert.notEqual(second.status.code, STATUS_ERROR);
    assert.equal(second.attributes['http.response.status_code'], 200);
    assert.equal(second.attributes['gen_ai.usage.output_tokens'], 4);

    // Each upstream request carried the trace, naming its own attempt span.
    const sent = gateway.sims.a?.requests.map((request) => request.headers.traceparent) ?? [];
    assert.deepEqual(sent, [`00-${server.traceId}-${first.spanId}-01`, `00-${server.traceId}-${second.spanId}-01`]);
    // The collector got its key; no span carries it.
    assert.equal(collector.requests[0]?.headers['x-collector-key'], COLLECTOR_KEY);
    assert.ok(!JSON.stringify(spans, bigints).includes(COLLECTOR_KEY), 'no secret in a span');
    assert.ok(!JSON.stringify(spans, bigints).includes('test-key'), 'no key secret in a span');
  });

  it("continues the caller's trace and passes it upstream; an unsampled caller gets no spans but keeps its trace id", async () => {
    const { gateway, collector } = await start(
      { a: 'openai-compatible' },
      `
models:
  - name: smart
    deployments: [{ provider: a, model: up-a }]
`,
    );
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    gateway.sims.a?.enqueue(openAIAnswer('one'), openAIAnswer('two'));
    await gateway.client.chat.completions.create(
      { model: 'smart', messages: USER },
      { headers: { traceparent: `00-${traceId}-${callerSpan}-01`, tracestate: 'vendor=abc' } },
    );
    const [server, client] = [...(await collector.waitForSpans(2))].sort((x, y) => x.kind - y.kind);
    assert.ok(server && client, 'two spans');
    assert.equal(server.traceId, traceId, "the caller's trace id");
    assert.equal(server.parentSpanId, callerSpan, "the request span's parent is the caller's span");
    assert.equal(server.traceState, 'vendor=abc');
    assert.equal(client.traceId, traceId);
    const upstream = gateway.sims.a?.requests[0]?.headers;
    assert.equal(upstream?.traceparent, `00-${traceId}-${client.spanId}-01`, 'upstream sees the attempt span');
    assert.equal(upstream?.tracestate, 'vendor=abc', 'tracestate goes along');

    // Not sampled by the caller: nothing exported, the trace still continues upstream (flag 00).
    const unsampled = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    await gateway.client.chat.completions.create(
      { model: 'smart', messages: USER },
      { headers: { traceparent: `00-${unsampled}-${callerSpan}-00` } },
    );
    const sent = gateway.sims.a?.requests[1]?.headers.traceparent;
    assert.match(String(sent), new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(collector.spans.length, 2, 'the unsampled request exported nothing');
  });

  it('a retried, fallen-back streaming request: spans per attempt, the fallback marked, TTFT and finish reasons', async () => {
    const { gateway, collector } = await start(
      { a: 'openai-compatible', claude: 'anthropic' },
      `
models:
  - name: smart
    fallbacks: [backup]
    deployments: [{ provider: a, model: up-a }]
  - name: backup
    deployments: [{ provider: claude, model: claude-up }]
`,
    );
    gateway.sims.a?.enqueue(failure(503), failure(503));
    gateway.sims.claude?.enqueue(anthropicStream('streamed answer'));
    const stream = await gateway.client.chat.completions.create({ model: 'smart', messages: USER, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'streamed answer');
    const spans = await collector.waitForSpans(4);
    const [server] = byKind(spans, SERVER);
    assert.ok(server, 'a server span');
    assert.equal(byKind(spans, CLIENT).length, 3, 'three attempts');
    assert.equal(server.attributes['gen_ai.request.stream'], true);
    assert.equal(server.attributes['gen_ai.provider.name'], 'anthropic');
    assert.equal(server.attributes['gen_ai.response.model'], 'claude-up');
    assert.equal(server.attributes['llmux.fallback'], true);
    assert.deepEqual(server.attributes['llmux.fallback_models'], ['smart', 'backup']);
    assert.equal(server.attributes['llmux.attempt'], 3);
    assert.deepEqual(server.attributes['gen_ai.response.finish_reasons'], ['end_turn']);
    const ttft = server.attributes['gen_ai.response.time_to_first_chunk'];
    assert.ok(typeof ttft === 'number' && ttft > 0 && ttft < 10, `time to first chunk in seconds, got ${ttft}`);
    assert.ok(server.doubles.has('gen_ai.response.time_to_first_chunk'), 'TTFT is a double');
    const third = attempt(spans, 3);
    assert.equal(third.attributes['llmux.fallback'], true);
    assert.equal(third.attributes['gen_ai.provider.name'], 'anthropic');
    assert.equal(third.name, 'chat claude-up');
    assert.equal(attempt(spans, 1).attributes['llmux.fallback'], false);
    assert.equal(attempt(spans, 2).attributes['http.response.status_code'], 503);
    for (const client of byKind(spans, CLIENT)) assert.equal(client.parentSpanId, server.spanId);
    const sentToClaude = gateway.sims.claude?.requests[0]?.headers.traceparent;
    assert.equal(sentToClaude, `00-${server.traceId}-${third.spanId}-01`);
  });

  it('a failure: the request span has status ERROR and error.type, so do its attempts', async () => {
    const { gateway, collector } = await start(
      { a: 'openai-compatible' },
      `
models:
  - name: smart
    deployments: [{ provider: a, model: up-a }]
`,
    );
    gateway.sims.a?.enqueue(failure(500), failure(500));
    await assert.rejects(gateway.client.chat.completions.create({ model: 'smart', messages: USER }));
    const spans = await collector.waitForSpans(3);
    const [server] = byKind(spans, SERVER);
    assert.ok(server, 'a server span');
    assert.equal(server.status.code, STATUS_ERROR);
    assert.equal(server.attributes['error.type'], 'upstream_error');
    assert.ok(Number(server.attributes['http.response.status_code']) >= 500, 'a 5xx to the client');
    assert.equal(server.attributes['gen_ai.response.model'], undefined, 'no response model without a response');
    for (const client of byKind(spans, CLIENT)) {
      assert.equal(client.status.code, STATUS_ERROR);
      assert.equal(client.attributes['error.type'], 'upstream_error');
    }
  });

  it('captureContent: prompt and completion as gen_ai.input/output.messages, only when asked', async () => {
    const { gateway, collector } = await start(
      { a: 'openai-compatible' },
      `
models:
  - name: smart
    deployments: [{ provider: a, model: up-a }]
`,
      '  captureContent: true\n',
    );
    gateway.sims.a?.enqueue(openAIAnswer('the completion text'), {
      kind: 'sse-events',
      events: openAIStreamFrames(['streamed ', 'completion']),
    });
    await gateway.client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'system', content: 'be brief' }, ...USER],
    });
    const stream = await gateway.client.chat.completions.create({ model: 'smart', messages: USER, stream: true });
    for await (const _ of stream) {
      // drain
    }
    const spans = await collector.waitForSpans(4);
    const servers = byKind(spans, SERVER);
    assert.equal(servers.length, 2, 'two requests');
    const [plain, streamed] = servers.sort((x, y) => Number(x.startNanos - y.startNanos));
    assert.ok(plain && streamed, 'both server spans');
    assert.deepEqual(JSON.parse(String(plain.attributes['gen_ai.input.messages'])), [
      { role: 'user', parts: [{ type: 'text', content: 'tell me a secret recipe' }] },
    ]);
    assert.deepEqual(JSON.parse(String(plain.attributes['gen_ai.system_instructions'])), [
      { type: 'text', content: 'be brief' },
    ]);
    assert.deepEqual(JSON.parse(String(plain.attributes['gen_ai.output.messages'])), [
      { role: 'assistant', parts: [{ type: 'text', content: 'the completion text' }], finish_reason: 'stop' },
    ]);
    const streamedOutput = JSON.parse(String(streamed.attributes['gen_ai.output.messages']));
    assert.equal(streamedOutput[0].parts[0].content, 'streamed completion');
    for (const client of byKind(spans, CLIENT))
      assert.equal(client.attributes['gen_ai.input.messages'], undefined, 'content only on the request span');
  });

  it('disabled: no trace context upstream, nothing exported', async () => {
    const { gateway: untraced, collector } = await start(
      { a: 'openai-compatible' },
      `
models:
  - name: smart
    deployments: [{ provider: a, model: up-a }]
`,
      '',
      false,
    );
    untraced.sims.a?.enqueue(openAIAnswer('untraced'));
    await untraced.client.chat.completions.create(
      { model: 'smart', messages: USER },
      { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
    );
    const headers = untraced.sims.a?.requests[0]?.headers;
    assert.equal(headers?.traceparent, undefined, 'no traceparent sent upstream');
    assert.equal(headers?.tracestate, undefined, 'no tracestate sent upstream');
    await untraced.close();
    gateway = undefined;
    assert.equal(collector.requests.length, 0, 'nothing reached the collector');
  });
});

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
