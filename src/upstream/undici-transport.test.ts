import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../core/errors.ts';
import type { Transport, UpstreamTimeouts } from './types.ts';
import { createUndiciTransport } from './undici-transport.ts';
import { toUpstreamError } from './upstream-errors.ts';

// Generous where a test does not exercise a timeout: a cold first request on a loaded CI machine can take 300+ ms.
const TIMEOUTS: UpstreamTimeouts = { connectMs: 5000, firstByteMs: 5000, idleMs: 5000, totalMs: 10000 };
const SECRET = 'sk-test-SECRET-123';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface TestServer {
  url: string;
  server: Server;
  connections: Socket[];
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(handler: Handler): Promise<TestServer> {
  const server = createServer(handler);
  const connections: Socket[] = [];
  server.on('connection', (socket) => connections.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, connections };
}

function transport(): Transport {
  const created = createUndiciTransport({ connections: 4 });
  cleanups.push(() => created.close());
  return created;
}

function timeouts(overrides: Partial<UpstreamTimeouts>): UpstreamTimeouts {
  return { ...TIMEOUTS, ...overrides };
}

function openSignal(): AbortSignal {
  return new AbortController().signal;
}

/** Asserts `promise` rejects with a GatewayError of `code`; returns it. */
async function rejectsWith(promise: Promise<unknown>, code: string): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

async function drain(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += chunk.toString();
  return text;
}

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Waits for `promise`, failing the test if it takes longer than `ms`. */
async function within(promise: Promise<unknown>, ms: number, what: string): Promise<void> {
  const timer = sleep(ms).then(() => assert.fail(`${what} did not happen within ${ms} ms`));
  await Promise.race([promise, timer]);
}

describe('undici transport', () => {
  it('sends a request and reads a plain JSON response', async () => {
    let seen: Record<string, string | undefined> = {};
    const { url } = await startServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        seen = { method: request.method, url: request.url, auth: request.headers.authorization, body };
        response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
        response.end(JSON.stringify({ ok: true, echo: JSON.parse(body) }));
      });
    });
    const signal = openSignal();
    const response = await transport().send(
      {
        method: 'POST',
        url: `${url}/v1/chat/completions?api-version=1`,
        headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
        body: '{"model":"m"}',
      },
      { signal, timeouts: TIMEOUTS },
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.headers['x-request-id'], 'req_1');
    assert.deepEqual(JSON.parse(await response.text()), { ok: true, echo: { model: 'm' } });
    assert.deepEqual(seen, {
      method: 'POST',
      url: '/v1/chat/completions?api-version=1',
      auth: `Bearer ${SECRET}`,
      body: '{"model":"m"}',
    });
    assert.equal(abortListeners(signal), 0, 'abort listener removed after completion');
  });

  it('returns error statuses as responses, not exceptions', async () => {
    const { url } = await startServer((_request, response) => {
      response.writeHead(429, { 'retry-after': '3' });
      response.end('{"error":{"message":"slow down"}}');
    });
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: openSignal(), timeouts: TIMEOUTS },
    );
    assert.equal(response.status, 429);
    assert.equal(response.headers['retry-after'], '3');
    assert.equal(await response.text(), '{"error":{"message":"slow down"}}');
  });

  it('streams body chunks as they arrive (no buffering)', async () => {
    let secondWriteAt = Number.POSITIVE_INFINITY;
    const { url } = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      setTimeout(() => {
        secondWriteAt = performance.now();
        response.end('data: 2\n\n');
      }, 200);
    });
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: openSignal(), timeouts: TIMEOUTS },
    );
    const arrivals: Array<{ at: number; text: string }> = [];
    for await (const chunk of response.body) arrivals.push({ at: performance.now(), text: chunk.toString() });
    assert.equal(arrivals.map((arrival) => arrival.text).join(''), 'data: 1\n\ndata: 2\n\n');
    assert.ok(arrivals.length >= 2);
    assert.equal(arrivals[0]?.text, 'data: 1\n\n');
    assert.ok(
      (arrivals[0]?.at ?? Number.POSITIVE_INFINITY) < secondWriteAt,
      'first chunk seen before the second was written',
    );
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const sockets = new Set<Socket>();
    const server = await startServer((request, response) => {
      sockets.add(request.socket);
      response.end('ok');
    });
    const client = transport();
    for (let i = 0; i < 3; i += 1) {
      const response = await client.send(
        { method: 'GET', url: `${server.url}/${i}`, headers: {} },
        { signal: openSignal(), timeouts: TIMEOUTS },
      );
      assert.equal(await response.text(), 'ok');
      // undici marks the socket free just after the body ends; a request dispatched in that same
      // tick would open a second socket, which is not what a later request sees.
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(sockets.size, 1);
    assert.equal(server.connections.length, 1);
  });

  it('maps a refused connection to upstream_connect_error without leaking the URL or key', async () => {
    const closed = await startServer(() => {});
    const url = `${closed.url}/v1beta/models/x:streamGenerateContent?key=${SECRET}`;
    closed.server.close();
    closed.server.closeAllConnections();
    await once(closed.server, 'close');
    const signal = openSignal();
    const error = await rejectsWith(
      transport().send(
        { method: 'POST', url, headers: { authorization: `Bearer ${SECRET}` }, body: '{}' },
        { signal, timeouts: TIMEOUTS },
      ),
      'upstream_connect_error',
    );
    assert.match(error.message, /cannot connect to upstream http:\/\/127\.0\.0\.1:\d+: connection refused/);
    assert.ok(!error.message.includes(SECRET) && !error.message.includes('v1beta'), error.message);
    assert.equal(error.status, 502);
    assert.equal(error.retryable, true);
    assert.equal(abortListeners(signal), 0);
  });

  it('times out a TLS connect that never completes (connectMs)', async () => {
    // A TCP server that accepts and then says nothing: the TLS handshake never finishes.
    const silent = createTcpServer(() => {});
    const sockets: Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const { port } = silent.address() as AddressInfo;
    const started = performance.now();
    const error = await rejectsWith(
      transport().send(
        { method: 'GET', url: `https://127.0.0.1:${port}/`, headers: {} },
        { signal: openSignal(), timeouts: timeouts({ connectMs: 150 }) },
      ),
      'upstream_timeout',
    );
    const elapsed = performance.now() - started;
    assert.match(error.message, /connect timeout after 150 ms/);
    assert.equal(error.status, 504);
    assert.equal(error.retryable, true);
    assert.ok(elapsed >= 140 && elapsed < 1000, `took ${elapsed} ms`);
  });

  it('times out when no response headers arrive (firstByteMs)', async () => {
    const { url } = await startServer(() => {});
    const started = performance.now();
    const error = await rejectsWith(
      transport().send(
        { method: 'GET', url, headers: {} },
        { signal: openSignal(), timeouts: timeouts({ firstByteMs: 150 }) },
      ),
      'upstream_timeout',
    );
    const elapsed = performance.now() - started;
    assert.match(error.message, /no response headers within 150 ms/);
    assert.equal(error.status, 504);
    assert.equal(error.retryable, true);
    assert.ok(elapsed >= 140 && elapsed < 700, `took ${elapsed} ms`);
  });

  it('times out a body that goes idle (idleMs) while iterating', async () => {
    const { url } = await startServer((_request, response) => {
      response.writeHead(200);
      response.write('data: 1\n\n');
    });
    const signal = openSignal();
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal, timeouts: timeouts({ idleMs: 150 }) },
    );
    const received: string[] = [];
    const started = performance.now();
    const error = await rejectsWith(
      (async () => {
        for await (const chunk of response.body) received.push(chunk.toString());
      })(),
      'upstream_timeout',
    );
    const elapsed = performance.now() - started;
    assert.deepEqual(received, ['data: 1\n\n']);
    assert.match(error.message, /upstream stream idle for 150 ms/);
    assert.equal(error.status, 504);
    assert.ok(elapsed >= 100 && elapsed < 700, `took ${elapsed} ms`);
    assert.equal(abortListeners(signal), 0);
  });

  it('does not count a slow consumer as upstream idle time', async () => {
    const { url } = await startServer((_request, response) => {
      response.writeHead(200);
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent < 8) response.write(`data: ${sent}\n\n`);
        else response.end('data: [DONE]\n\n');
      }, 25);
      response.on('close', () => clearInterval(timer));
    });
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: openSignal(), timeouts: timeouts({ idleMs: 100 }) },
    );
    let text = '';
    for await (const chunk of response.body) {
      if (text === '') await sleep(250); // the client is slow; the upstream keeps sending
      text += chunk.toString();
    }
    assert.ok(text.endsWith('data: [DONE]\n\n'), text);
  });

  it('enforces totalMs while the body keeps trickling', async () => {
    const { url } = await startServer((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('.'), 30);
      response.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: openSignal(), timeouts: timeouts({ idleMs: 200, totalMs: 300 }) },
    );
    let bytes = 0;
    const error = await rejectsWith(
      (async () => {
        for await (const chunk of response.body) bytes += chunk.length;
      })(),
      'upstream_timeout',
    );
    const elapsed = performance.now() - started;
    assert.match(error.message, /total timeout 300 ms/);
    assert.equal(error.status, 504);
    assert.ok(bytes > 3, `trickled ${bytes} bytes`);
    assert.ok(elapsed >= 290 && elapsed < 900, `took ${elapsed} ms`);
  });

  it('enforces totalMs before headers too', async () => {
    const { url } = await startServer(() => {});
    const error = await rejectsWith(
      transport().send(
        { method: 'GET', url, headers: {} },
        { signal: openSignal(), timeouts: timeouts({ firstByteMs: 2000, totalMs: 150 }) },
      ),
      'upstream_timeout',
    );
    assert.match(error.message, /total timeout 150 ms/);
  });

  it('maps a socket destroyed mid-body to upstream_bad_response', async () => {
    const { url } = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      setTimeout(() => response.socket?.destroy(), 50);
    });
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: openSignal(), timeouts: TIMEOUTS },
    );
    const error = await rejectsWith(drain(response.body), 'upstream_bad_response');
    assert.match(error.message, /upstream connection closed mid-response/);
    assert.equal(error.status, 502);
    assert.equal(error.retryable, true);
  });

  it('maps a connection closed before headers to upstream_bad_response', async () => {
    const { url } = await startServer((request) => request.socket.destroy());
    const error = await rejectsWith(
      transport().send({ method: 'GET', url, headers: {} }, { signal: openSignal(), timeouts: TIMEOUTS }),
      'upstream_bad_response',
    );
    assert.match(error.message, /closed the connection before sending response headers/);
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    let upstreamClosed: Promise<unknown> = Promise.resolve();
    let finishedBeforeClose: boolean | undefined;
    const { url } = await startServer((request, response) => {
      upstreamClosed = Promise.all([once(response, 'close'), once(request.socket, 'close')]);
      response.on('close', () => {
        finishedBeforeClose = response.writableFinished;
      });
      response.writeHead(200);
      response.write('data: 1\n\n');
      const timer = setInterval(() => response.write('data: more\n\n'), 40);
      response.on('close', () => clearInterval(timer));
    });
    const client = new AbortController();
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: client.signal, timeouts: TIMEOUTS },
    );
    const iteration = (async () => {
      for await (const _chunk of response.body) client.abort();
    })();
    await rejectsWith(iteration, 'client_closed');
    await within(upstreamClosed, 2000, 'upstream response/socket close');
    assert.equal(finishedBeforeClose, false, 'the upstream saw the response cut short');
    assert.equal(abortListeners(client.signal), 0);
  });

  it('aborts while waiting for headers and when already aborted', async () => {
    let upstreamClosed: Promise<unknown> = new Promise(() => {});
    let requests = 0;
    const { url } = await startServer((request) => {
      requests += 1;
      upstreamClosed = once(request.socket, 'close');
    });
    const client = new AbortController();
    const pending = transport().send(
      { method: 'GET', url, headers: {} },
      { signal: client.signal, timeouts: TIMEOUTS },
    );
    setTimeout(() => client.abort(), 50);
    const error = await rejectsWith(pending, 'client_closed');
    assert.equal(error.status, 499);
    assert.equal(error.retryable, false);
    await within(upstreamClosed, 2000, 'upstream socket close');

    await rejectsWith(
      transport().send({ method: 'GET', url, headers: {} }, { signal: client.signal, timeouts: TIMEOUTS }),
      'client_closed',
    );
    assert.equal(requests, 1, 'an already-aborted request is never sent');
  });

  it('discard() closes the upstream stream and drops the listener', async () => {
    let upstreamClosed: Promise<unknown> = new Promise(() => {});
    const { url } = await startServer((_request, response) => {
      upstreamClosed = once(response, 'close');
      response.writeHead(200);
      response.write('data: 1\n\n');
    });
    const signal = openSignal();
    const response = await transport().send({ method: 'GET', url, headers: {} }, { signal, timeouts: TIMEOUTS });
    response.discard();
    await within(upstreamClosed, 2000, 'upstream response close');
    assert.equal(abortListeners(signal), 0);
  });

  it('stops the upstream when the consumer breaks out of the loop', async () => {
    let upstreamClosed: Promise<unknown> = new Promise(() => {});
    const { url } = await startServer((_request, response) => {
      upstreamClosed = once(response, 'close');
      response.writeHead(200);
      response.write('data: 1\n\n');
    });
    const signal = openSignal();
    const response = await transport().send({ method: 'GET', url, headers: {} }, { signal, timeouts: TIMEOUTS });
    for await (const _chunk of response.body) break;
    await within(upstreamClosed, 2000, 'upstream response close');
    assert.equal(abortListeners(signal), 0);
  });

  it('survives an unread body being aborted (no unhandled error)', async () => {
    const { url } = await startServer((_request, response) => {
      response.writeHead(200);
      response.write('x');
    });
    const client = new AbortController();
    const response = await transport().send(
      { method: 'GET', url, headers: {} },
      { signal: client.signal, timeouts: TIMEOUTS },
    );
    client.abort();
    await sleep(30);
    await rejectsWith(response.text(), 'client_closed');
  });

  it('discard() of a body received in full but never read raises no unhandled error', async () => {
    // undici emits RequestAbortedError on such a body when it is destroyed; with no listener the
    // 'error' event was unhandled and killed the process (the n > 1 fan-out crash).
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtExceptionMonitor', onUncaught);
    try {
      const { url } = await startServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"whole":"answer"}');
      });
      const response = await transport().send(
        { method: 'GET', url, headers: {} },
        { signal: openSignal(), timeouts: TIMEOUTS },
      );
      await sleep(20); // the whole body is in undici's buffer now
      response.discard();
      response.discard();
      await sleep(20);
    } finally {
      process.off('uncaughtExceptionMonitor', onUncaught);
    }
    assert.deepEqual(uncaught.map(String), [], 'no uncaught exception');
  });

  it('text() reads at most maxErrorBodyBytes and releases the rest of the body', async () => {
    let upstreamClosed: Promise<unknown> = new Promise(() => {});
    let written = 0;
    const { url } = await startServer((_request, response) => {
      upstreamClosed = once(response, 'close');
      response.writeHead(500, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      // A body that never ends: only the cap can stop the reader.
      const pump = (): void => {
        while (!response.destroyed && written < 64 * 1024 * 1024 && response.write(chunk)) written += chunk.length;
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const limited = createUndiciTransport({ limits: { maxErrorBodyBytes: 100_000 } });
    cleanups.push(() => limited.close());
    const response = await limited.send(
      { method: 'GET', url, headers: {} },
      { signal: openSignal(), timeouts: TIMEOUTS },
    );
    const text = await response.text();
    assert.equal(text.length, 100_000, 'exactly the cap is returned');
    await within(upstreamClosed, 500, 'upstream response close');
    assert.ok(written < 16 * 1024 * 1024, `the upstream was cut off early (${written} bytes written)`);
  });
});

describe('upstream error mapping', () => {
  const context = {
    origin: 'https://api.example.com',
    timeouts: timeouts({ connectMs: 300, firstByteMs: 300, idleMs: 300 }),
    phase: 'headers' as const,
  };

  it('maps undici timeout errors with their configured durations', () => {
    const connect = toUpstreamError(new undiciErrors.ConnectTimeoutError(), context);
    assert.equal(connect.code, 'upstream_timeout');
    assert.equal(connect.message, 'upstream https://api.example.com connect timeout after 300 ms');
    assert.equal(
      toUpstreamError(new undiciErrors.HeadersTimeoutError(), context).message,
      'no response headers within 300 ms from upstream https://api.example.com',
    );
    const idle = toUpstreamError(new undiciErrors.BodyTimeoutError(), { ...context, phase: 'body' });
    assert.equal(idle.message, 'upstream stream idle for 300 ms (https://api.example.com)');
    assert.equal(idle.status, 504);
  });

  it('maps connect failures in words, including multi-address and TLS ones', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const both = new AggregateError([refused, refused], 'all addresses failed');
    assert.match(toUpstreamError(both, context).message, /connection refused \(ECONNREFUSED\)/);
    const dns = toUpstreamError(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }), context);
    assert.equal(dns.code, 'upstream_connect_error');
    assert.match(dns.message, /host name not found/);
    const tls = toUpstreamError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), context);
    assert.match(tls.message, /TLS handshake failed \(CERT_HAS_EXPIRED\)/);
  });

  it('maps resets after headers to upstream_bad_response and keeps GatewayErrors', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    assert.equal(toUpstreamError(reset, { ...context, phase: 'body' }).code, 'upstream_bad_response');
    assert.equal(toUpstreamError(reset, context).code, 'upstream_connect_error');
    const own = new GatewayError('client_closed', 'gone');
    assert.equal(toUpstreamError(own, context), own);
    const unknown = toUpstreamError(new TypeError('boom'), context);
    assert.equal(unknown.code, 'upstream_bad_response');
    assert.equal(unknown.retryable, true);
  });
});
