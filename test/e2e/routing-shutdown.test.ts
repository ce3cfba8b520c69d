/**
 * Graceful shutdown of a real `llmux serve` child process: SIGTERM stops accepting connections,
 * lets the stream in flight finish (or cuts it properly at the end of the grace period), flushes
 * the request log to SQLite and exits 0.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { request } from 'undici';
import {
  type LlmuxChild,
  oneUpstreamYaml,
  readRequestLog,
  startLlmuxChild,
  waitUntilRefused,
  writeDataDir,
} from '../support/llmux-child.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { answer, chunkFrame, delayed, setup, streamFrames } from './routing-support.ts';

const KEY = 'sk-llmux-shutdown-test';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startChild(sim: Simulator, graceMs: number): Promise<LlmuxChild & { dbPath: string }> {
  const data = writeDataDir(
    'llmux-shutdown-',
    (dbPath) => `server: { shutdownGraceMs: ${graceMs} }
store: { sqlite: ${JSON.stringify(dbPath)} }
router: { timeouts: { connectMs: 1000, firstByteMs: 5000, idleMs: 10000, totalMs: 30000 } }
${oneUpstreamYaml(sim.url, { name: 'shutdown-test', key: KEY })}`,
  );
  cleanups.push(() => data.remove());
  const llmux = await startLlmuxChild(data.configPath);
  cleanups.push(() => llmux.stop());
  return { ...llmux, dbPath: data.dbPath };
}

async function openStream(llmux: LlmuxChild) {
  const response = await request(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(response.statusCode, 200);
  const chunks = response.body[Symbol.asyncIterator]();
  const first = await chunks.next();
  assert.equal(first.done, false);
  return {
    requestId: String(response.headers['x-request-id']),
    first: Buffer.from(first.value as Uint8Array).toString(),
    async rest(): Promise<string> {
      let text = '';
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next())
        text += Buffer.from(next.value as Uint8Array).toString();
      return text;
    },
  };
}

describe('routing: graceful shutdown (child process)', () => {
  it('SIGTERM drains a stream in flight: new connections refused, the stream ends with [DONE], exit 0, row in SQLite', async () => {
    const sim = await startUpstreamSimulator();
    cleanups.push(() => sim.close());
    const pieces = ['one', ' two', ' three', ' four', ' five', ' six', ' seven', ' eight'];
    sim.route('/v1/chat/completions', (req) =>
      (req.json as { stream?: boolean }).stream
        ? { kind: 'sse-events', events: streamFrames(pieces), delayMs: 120 }
        : delayed(600, answer('slow but complete')),
    );
    const llmux = await startChild(sim, 20_000);
    const stream = await openStream(llmux);
    const plain = request(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await sim.waitForRequests(2);
    const signalledAt = performance.now();
    llmux.child.kill('SIGTERM');

    await waitUntilRefused(llmux.port);
    assert.equal(sim.inFlight(), 2, 'new connections are refused while both requests are still in flight');
    const body = stream.first + (await stream.rest());
    assert.ok(body.endsWith('data: [DONE]\n\n'), `stream ends with [DONE]: ${JSON.stringify(body.slice(-80))}`);
    const content = [...body.matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]).join('');
    assert.equal(content, pieces.join(''));
    const plainResponse = await plain;
    assert.equal(plainResponse.statusCode, 200);
    assert.match(await plainResponse.body.text(), /slow but complete/);

    const { code, signal } = await llmux.exit;
    assert.equal(signal, null);
    assert.equal(code, 0, llmux.output());
    assert.ok(performance.now() - signalledAt < 8000, 'exits once drained, not at the end of the grace period');
    const rows = readRequestLog(llmux.dbPath);
    assert.equal(rows.length, 2, 'both requests recorded (the store was flushed)');
    const streamRow = rows.find((row) => row.request_id === stream.requestId);
    assert.equal(streamRow?.status, 200);
    assert.equal(streamRow?.stream, 1);
    assert.equal(streamRow?.output_tokens, pieces.length);
    assert.equal(streamRow?.error_code, null);
    assert.ok(
      llmux.entries.some((entry) => entry.msg === 'shutdown complete'),
      'the "shutdown complete" line is logged',
    );
  });

  it('a stream still running at the end of the grace period ends with a shutting_down error event; exit 0', async () => {
    const sim = await startUpstreamSimulator();
    cleanups.push(() => sim.close());
    sim.enqueue({
      kind: 'sse-events',
      events: [chunkFrame({ role: 'assistant', content: 'never finishes' })],
      thenStallMs: Number.POSITIVE_INFINITY,
    });
    const llmux = await startChild(sim, 400);
    const stream = await openStream(llmux);
    assert.match(stream.first, /never finishes/);
    const signalledAt = performance.now();
    llmux.child.kill('SIGTERM');
    const rest = await stream.rest();
    const cutAfter = performance.now() - signalledAt;
    assert.match(rest, /"code":"shutting_down"/);
    assert.ok(!rest.includes('[DONE]'), "!rest.includes('[DONE]')");
    assert.ok(cutAfter >= 380 && cutAfter < 4000, `cut after ${Math.round(cutAfter)} ms`);
    const { code } = await llmux.exit;
    assert.equal(code, 0, llmux.output());
    await sim.waitForClose(0);
    assert.equal(sim.requests[0]?.closedEarly, true, 'the upstream request was cancelled');
    const [row] = readRequestLog(llmux.dbPath);
    assert.equal(row?.error_code, 'shutting_down');
    assert.equal(row?.request_id, stream.requestId);
  });

  it('a request arriving on a busy keep-alive connection during the drain gets 503 shutting_down in the OpenAI envelope', async () => {
    const env = await setup(['a'], 'models:\n  - name: smart\n    deployments: [{ provider: a, model: up-a }]\n');
    cleanups.push(() => env.close());
    env.sims.a?.enqueue({ kind: 'sse-events', events: streamFrames(['one', ' two', ' three']), delayMs: 200 });
    const { port } = new URL(env.llmux.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    const body = JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const auth = `authorization: Bearer ${env.llmux.apiKey}\r\n`;
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await env.sims.a?.waitForRequests(1);
    const closed = env.llmux.app.close();
    socket.write(`GET /v1/models HTTP/1.1\r\nhost: x\r\n${auth}\r\n`);
    await once(socket, 'close');
    await closed;
    assert.match(received, /data: \[DONE\]/, 'the stream in flight finished');
    const second = received.slice(received.lastIndexOf('HTTP/1.1 '));
    assert.match(second, /^HTTP\/1\.1 503 /);
    assert.match(second, /connection: close/i);
    assert.match(second, /x-request-id: /i);
    assert.match(second, /"code":"shutting_down"/);
  });
});
