/**
 * Graceful shutdown of a real `llmux serve` child process: SIGTERM stops accepting connections,
 * lets the stream in flight finish (or cuts it properly at the end of the grace period), flushes
 * the request log to SQLite and exits 0.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { answer, chunkFrame, delayed, setup, streamFrames } from './routing-support.ts';

const KEY = 'sk-llmux-shutdown-test';

interface ChildLlmux {
  url: string;
  port: number;
  dbPath: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ChildProcess;
  logs: string[];
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startChild(sim: Simulator, graceMs: number): Promise<ChildLlmux> {
  const dir = mkdtempSync(join(tmpdir(), 'llmux-shutdown-'));
  const dbPath = join(dir, 'llmux.db');
  const configPath = join(dir, 'llmux.yaml');
  writeFileSync(
    configPath,
    `server: { shutdownGraceMs: ${graceMs} }
store: { sqlite: ${JSON.stringify(dbPath)} }
router: { timeouts: { connectMs: 1000, firstByteMs: 5000, idleMs: 10000, totalMs: 30000 } }
providers:
  up: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
models:
  - name: smart
    deployments: [{ provider: up, model: up-model }]
keys:
  - { name: shutdown-test, key: ${KEY} }
`,
  );
  const child = spawn(process.execPath, ['bin/llmux.js', 'serve', '--config', configPath, '--port', '0'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, LLMUX_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exit;
    rmSync(dir, { recursive: true, force: true });
  });
  const logs: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`llmux did not start:\n${logs.join('')}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        const entry = parseLogLine(line);
        if (entry?.msg === 'llmux listening' && typeof entry.address === 'string') {
          clearTimeout(timer);
          resolve(entry.address);
        }
      }
    });
    void exit.then(() => reject(new Error(`llmux exited before listening:\n${logs.join('\n')}`)));
  });
  const url = address.replace('localhost', '127.0.0.1');
  return { url, port: Number(new URL(url).port), dbPath, exit, child, logs };
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves once a new TCP connection to `port` is refused (polls; fails after `timeoutMs`). */
async function waitUntilRefused(port: number, timeoutMs = 2000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`port ${port} still accepts connections`);
}

async function openStream(llmux: ChildLlmux) {
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

function readLogRows(dbPath: string): Array<Record<string, unknown>> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT * FROM request_log ORDER BY id').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
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
    assert.equal(code, 0, llmux.logs.join('\n'));
    assert.ok(performance.now() - signalledAt < 8000, 'exits once drained, not at the end of the grace period');
    const rows = readLogRows(llmux.dbPath);
    assert.equal(rows.length, 2, 'both requests recorded (the store was flushed)');
    const streamRow = rows.find((row) => row.request_id === stream.requestId);
    assert.equal(streamRow?.status, 200);
    assert.equal(streamRow?.stream, 1);
    assert.equal(streamRow?.output_tokens, pieces.length);
    assert.equal(streamRow?.error_code, null);
    assert.ok(
      llmux.logs.some((line) => parseLogLine(line)?.msg === 'shutdown complete'),
      "llmux.logs.some((line) => parseLogLine(line)?.msg === 'shutdown complete')",
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
    assert.equal(code, 0, llmux.logs.join('\n'));
    await sim.waitForClose(0);
    assert.equal(sim.requests[0]?.closedEarly, true, 'the upstream request was cancelled');
    const [row] = readLogRows(llmux.dbPath);
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
