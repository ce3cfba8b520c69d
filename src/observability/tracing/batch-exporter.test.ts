import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { BatchExporter } from './batch-exporter.ts';
import { SPAN_KIND_SERVER, type SpanData, STATUS_UNSET } from './span-data.ts';

function span(n: number): SpanData {
  return {
    traceId: 'a'.repeat(32),
    spanId: n.toString(16).padStart(16, '0'),
    parentSpanId: null,
    traceState: null,
    name: `span ${n}`,
    kind: SPAN_KIND_SERVER,
    startMs: 1,
    endMs: 2,
    attributes: {},
    events: [],
    status: { code: STATUS_UNSET },
  };
}

interface Stub {
  url: string;
  /** Span count of each export received. */
  batches: number[];
  server: Server;
}

async function stub(answer: (batch: number) => { status: number; body?: string } | 'hang'): Promise<Stub> {
  const batches: number[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const count = JSON.parse(text).resourceSpans[0].scopeSpans[0].spans.length;
      batches.push(count);
      const reply = answer(count);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, batches, server };
}

function logger() {
  const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
  return { warnings, warn: (details: object, message: string) => warnings.push({ details: { ...details }, message }) };
}

const SCOPE = { name: 'llmux', version: 'test' };
const servers: Server[] = [];
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

describe('BatchExporter', () => {
  it('holds at most maxQueue spans, counts the dropped ones, and sends in batches of maxBatch', async () => {
    const collector = await stub(() => ({ status: 200 }));
    servers.push(collector.server);
    const exporter = new BatchExporter({
      url: collector.url,
      headers: {},
      resource: {},
      scope: SCOPE,
      logger: logger(),
      maxQueue: 5,
      maxBatch: 10,
      intervalMs: 60_000,
    });
    exporter.enqueue([span(1), span(2), span(3)]);
    exporter.enqueue([span(4), span(5), span(6), span(7)]);
    assert.equal(exporter.stats.dropped, 2);
    await exporter.flush();
    assert.deepEqual(collector.batches, [5]);
    const batched = new BatchExporter({
      url: collector.url,
      headers: {},
      resource: {},
      scope: SCOPE,
      logger: logger(),
      maxBatch: 2,
      intervalMs: 60_000,
    });
    batched.enqueue([span(1), span(2), span(3), span(4), span(5)]);
    await batched.shutdown();
    assert.deepEqual(collector.batches, [5, 2, 2, 1], 'a full batch goes at once, the rest on flush');
    assert.equal(batched.stats.exported, 5);
    batched.enqueue([span(8)]);
    await batched.flush();
    assert.equal(collector.batches.length, 4, 'after shutdown spans are ignored, not queued');
    await exporter.shutdown();
  });

  it('a collector that is down: the flush resolves, the spans are counted failed, one warning per minute', async () => {
    const log = logger();
    const exporter = new BatchExporter({
      url: 'http://127.0.0.1:1/v1/traces',
      headers: { authorization: 'Bearer secret-token' },
      resource: {},
      scope: SCOPE,
      logger: log,
      intervalMs: 60_000,
    });
    exporter.enqueue([span(1)]);
    await exporter.flush();
    exporter.enqueue([span(2), span(3)]);
    await exporter.flush();
    assert.equal(exporter.stats.failed, 3);
    assert.equal(log.warnings.length, 1, 'the second failure is not logged (throttled)');
    assert.equal(log.warnings[0]?.message, 'trace export failed');
    assert.equal(log.warnings[0]?.details.collector, 'http://127.0.0.1:1/v1/traces');
    assert.ok(!JSON.stringify(log.warnings).includes('secret-token'), 'headers never logged');
    await exporter.shutdown();
  });

  it('a refusal (503) and a partial success are counted and logged', async () => {
    let calls = 0;
    const collector = await stub(() =>
      ++calls === 1 ? { status: 503 } : { status: 200, body: '{"partialSuccess":{"rejectedSpans":"1"}}' },
    );
    servers.push(collector.server);
    const log = logger();
    const exporter = new BatchExporter({
      url: collector.url,
      headers: {},
      resource: {},
      scope: SCOPE,
      logger: log,
      intervalMs: 60_000,
    });
    exporter.enqueue([span(1)]);
    await exporter.flush();
    assert.equal(exporter.stats.failed, 1);
    assert.equal(log.warnings[0]?.details.status, 503);
    exporter.enqueue([span(2), span(3)]);
    await exporter.flush();
    assert.equal(exporter.stats.exported, 1);
    assert.equal(exporter.stats.failed, 2);
    await exporter.shutdown();
  });

  it('shutdown waits at most its bound for a collector that never answers', async () => {
    const collector = await stub(() => 'hang');
    servers.push(collector.server);
    const exporter = new BatchExporter({
      url: collector.url,
      headers: {},
      resource: {},
      scope: SCOPE,
      logger: logger(),
      intervalMs: 60_000,
    });
    exporter.enqueue([span(1)]);
    const started = performance.now();
    await exporter.shutdown(300);
    const took = performance.now() - started;
    assert.ok(took >= 250 && took < 3000, `shutdown took ${Math.round(took)} ms`);
  });

  it('sends on its timer without being asked', async () => {
    const collector = await stub(() => ({ status: 200 }));
    servers.push(collector.server);
    const exporter = new BatchExporter({
      url: collector.url,
      headers: {},
      resource: {},
      scope: SCOPE,
      logger: logger(),
      intervalMs: 50,
    });
    exporter.enqueue([span(1)]);
    for (let waited = 0; collector.batches.length === 0 && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(collector.batches, [1]);
    await exporter.shutdown();
  });
});
