import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openIdleSocket, rawExchange } from '../support/raw-http.ts';
import {
  assertRecordedOnce,
  errorCodeOf,
  FRONT_DOOR_KEY,
  type FrontDoorLlmux,
  startFrontDoorLlmux,
} from './front-door-support.ts';

// Issue 12 items 3, 4 and 8: slow and unauthenticated clients, request bodies in memory, and a
// request-log row plus a log line for every request turned away at the front door.

const WRONG_KEY = 'guess-Secret-000111';
const MB = 1024 * 1024;

const chatHead = (headers: Record<string, string | number>) =>
  `POST /v1/chat/completions HTTP/1.1\r\nhost: llmux\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

/** A chat body of about `bytes` bytes. */
const bodyOfSize = (bytes: number, model = 'demo') =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'x'.repeat(Math.max(0, bytes - 80)) }] });

describe('front door: timeouts, closing and the in-flight body budget', () => {
  let llmux: FrontDoorLlmux;

  before(async () => {
    llmux = await startFrontDoorLlmux(`
server: { bodyLimitMb: 8, headersTimeoutMs: 600, bodyTimeoutMs: 600, maxInflightBodyMb: 5 }
providers:
  sim: { type: simulator, latencyMs: 400 }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
`);
  });
  after(async () => {
    await llmux?.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FRONT_DOOR_KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });

  it('a wrong key with a 50 MB body announced: 401 at once, and the server closes the connection unread', async () => {
    const exchange = await rawExchange(
      llmux.url,
      chatHead({ authorization: `Bearer ${WRONG_KEY}`, 'content-type': 'application/json', 'content-length': 50 * MB }),
      { body: '{"model":"demo",', waitMs: 5000 },
    );
    assert.equal(exchange.status, 401);
    assert.equal(errorCodeOf(exchange.body), 'invalid_api_key');
    assert.ok(exchange.closedByServer, 'the server closed the connection instead of reading 50 MB');
    assert.ok(exchange.ms < 3000, `closed promptly (${exchange.ms} ms)`);
    await assertRecordedOnce(llmux, exchange.headers['x-request-id'], {
      status: 401,
      errorCode: 'invalid_api_key',
      secrets: [WRONG_KEY],
    });
  });

  it('a body that trickles past server.bodyTimeoutMs: 408 request_timeout, connection closed, recorded', async () => {
    const exchange = await rawExchange(
      llmux.url,
      chatHead({
        authorization: `Bearer ${FRONT_DOOR_KEY}`,
        'content-type': 'application/json',
        'content-length': 1000,
      }),
      { body: '{"model":"demo",', waitMs: 5000 },
    );
    assert.equal(exchange.status, 408);
    assert.equal(errorCodeOf(exchange.body), 'request_timeout');
    assert.ok(exchange.closedByServer, 'the server closed the connection');
    assert.ok(exchange.ms >= 500 && exchange.ms < 4000, `after about 600 ms (${exchange.ms} ms)`);
    const row = await assertRecordedOnce(llmux, exchange.headers['x-request-id'], {
      status: 408,
      errorCode: 'request_timeout',
    });
    assert.equal(row.keyName, 'front', 'the key had authenticated');
  });

  it('headers that never finish: 408 after server.headersTimeoutMs in the OpenAI envelope, closed, recorded', async () => {
    const exchange = await rawExchange(llmux.url, 'POST /v1/chat/completions HTTP/1.1\r\nhost: llmux\r\n', {
      waitMs: 5000,
    });
    assert.equal(exchange.status, 408);
    assert.equal(errorCodeOf(exchange.body), 'request_timeout');
    assert.ok(exchange.closedByServer, 'the server closed the connection');
    assert.ok(exchange.ms < 4000, `closed after about 600 ms (${exchange.ms} ms)`);
    await assertRecordedOnce(llmux, exchange.headers['x-request-id'], { status: 408, errorCode: 'request_timeout' });
  });

  it('a connection that never sends a byte is closed after the headers timeout, leaving no row', async () => {
    const before = (await llmux.rows()).length;
    const exchange = await rawExchange(llmux.url, '', { waitMs: 5000 });
    assert.ok(exchange.closedByServer, 'the idle connection was closed');
    assert.equal((await llmux.rows()).length, before, 'no request, no row');
  });

  it('bodies in flight over server.maxInflightBodyMb: 503 server_busy with retry-after; the budget comes back', async () => {
    const body = bodyOfSize(4 * MB);
    const responses = await Promise.all([post(body), post(body)]);
    const statuses = responses.map((response) => response.status).sort();
    assert.deepEqual(statuses, [200, 503], 'one served, one turned away');
    const busy = responses.find((response) => response.status === 503);
    assert.ok(busy, 'a 503');
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal(errorCodeOf(await busy.text()), 'server_busy');
    await assertRecordedOnce(llmux, busy.headers.get('x-request-id'), { status: 503, errorCode: 'server_busy' });
    for (const response of responses) await response.arrayBuffer().catch(() => undefined);
    const third = await post(body);
    assert.equal(third.status, 200, 'served once the others finished');
    await third.arrayBuffer();
  });

  it('a chunked body (no content-length) is counted as it streams in', async () => {
    const inFlight = post(bodyOfSize(4 * MB));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const pieces = [
      Buffer.from('{"model":"demo","messages":"'),
      ...Array.from({ length: 3 }, () => Buffer.alloc(MB, 'x')),
    ];
    const chunked = Buffer.concat(
      pieces.map((piece) =>
        Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]),
      ),
    );
    const exchange = await rawExchange(
      llmux.url,
      chatHead({
        authorization: `Bearer ${FRONT_DOOR_KEY}`,
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      }),
      { body: chunked, waitMs: 5000 },
    );
    assert.equal(exchange.status, 503);
    assert.equal(errorCodeOf(exchange.body), 'server_busy');
    assert.ok(exchange.closedByServer, 'closed without reading the rest');
    const served = await inFlight;
    assert.equal(served.status, 200);
    await served.arrayBuffer();
  });

  it('every kind of front-door rejection leaves one row and one log line, never the key', async () => {
    const cases: Array<{
      name: string;
      send: () => Promise<Response>;
      status: number;
      code: string;
      wire?: string | null;
    }> = [
      {
        name: 'wrong key',
        send: () => post(bodyOfSize(200), { authorization: `Bearer ${WRONG_KEY}` }),
        status: 401,
        code: 'invalid_api_key',
        wire: 'invalid_api_key',
      },
      {
        name: 'no key',
        send: () => fetch(`${llmux.url}/v1/models`),
        status: 401,
        code: 'invalid_api_key',
      },
      {
        name: 'invalid JSON',
        send: () => post('{"model": nope'),
        status: 400,
        code: 'invalid_request',
        wire: 'invalid_json',
      },
      {
        name: 'invalid request',
        send: () => post(JSON.stringify({ model: 'demo', messages: 'not a list' })),
        status: 400,
        code: 'invalid_request',
      },
      {
        name: 'too large',
        send: () => post(bodyOfSize(9 * MB)),
        status: 413,
        code: 'payload_too_large',
        wire: 'payload_too_large',
      },
      {
        name: 'unknown route',
        send: () =>
          fetch(`${llmux.url}/v1/nope?key=${WRONG_KEY}`, { headers: { authorization: `Bearer ${FRONT_DOOR_KEY}` } }),
        status: 404,
        code: 'not_found',
        wire: null,
      },
    ];
    for (const testCase of cases) {
      const response = await testCase.send();
      assert.equal(response.status, testCase.status, testCase.name);
      const wire = errorCodeOf(await response.text());
      if (testCase.wire !== undefined) assert.equal(wire, testCase.wire, `${testCase.name}: wire code`);
      const row = await assertRecordedOnce(llmux, response.headers.get('x-request-id'), {
        status: testCase.status,
        errorCode: testCase.code,
        secrets: [WRONG_KEY],
      });
      if (testCase.name === 'invalid request') assert.equal(row.publicModel, 'demo', 'the model, parsed from the body');
    }
  });

  it('request ids are llmux’s own; the client’s x-request-id is echoed apart and kept in the log', async () => {
    const sent = 'trace-abc.123';
    const first = await post(bodyOfSize(200), { 'x-request-id': sent });
    const second = await post(bodyOfSize(200), { 'x-request-id': sent });
    const rejected = await post(bodyOfSize(200), { 'x-request-id': sent, authorization: `Bearer ${WRONG_KEY}` });
    const ids = [first, second, rejected].map((response) => response.headers.get('x-request-id'));
    assert.equal(new Set(ids).size, 3, `three distinct server ids: ${ids.join(', ')}`);
    for (const [index, response] of [first, second, rejected].entries()) {
      await response.arrayBuffer();
      assert.notEqual(ids[index], sent, 'never the client’s id');
      assert.equal(response.headers.get('x-client-request-id'), sent);
      const rows = await llmux.rowsFor(ids[index] ?? '');
      assert.equal(rows.length, 1, 'one row per request');
      assert.equal(rows[0]?.clientRequestId, sent, 'the row keeps the client’s id');
    }
    const malformed = await post(bodyOfSize(200), { 'x-request-id': 'x'.repeat(129) });
    await malformed.arrayBuffer();
    assert.equal(malformed.headers.get('x-client-request-id'), null, 'an id over 128 chars is not echoed');
    const [row] = await llmux.rowsFor(malformed.headers.get('x-request-id') ?? '');
    assert.equal(row?.clientRequestId, null);
  });

  it('a client that leaves in the middle of its body is recorded as 499', async () => {
    const clientId = 'left-mid-body';
    await rawExchange(
      llmux.url,
      chatHead({
        authorization: `Bearer ${FRONT_DOOR_KEY}`,
        'content-length': 5000,
        'x-request-id': clientId,
      }),
      { body: '{"model":"demo"', waitMs: 150 },
    );
    const deadline = Date.now() + 3000;
    let rows = (await llmux.rows()).filter((row) => row.clientRequestId === clientId);
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      rows = (await llmux.rows()).filter((row) => row.clientRequestId === clientId);
    }
    assert.equal(rows.length, 1, 'one row');
    assert.equal(rows[0]?.status, 499);
    assert.equal(rows[0]?.errorCode, 'client_closed');
  });
});

describe('front door: connection caps', () => {
  let llmux: FrontDoorLlmux;

  before(async () => {
    llmux = await startFrontDoorLlmux(`
server: { maxUnauthenticatedPerIp: 3 }
providers:
  sim: { type: simulator }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
`);
  });
  after(async () => {
    await llmux?.close();
  });

  it('unauthenticated connections from one address beyond the cap: 429 and closed; authenticating frees a slot', async () => {
    const idle = await Promise.all([openIdleSocket(llmux.url), openIdleSocket(llmux.url), openIdleSocket(llmux.url)]);
    try {
      const over = await rawExchange(llmux.url, '', { waitMs: 3000 });
      assert.equal(over.status, 429);
      assert.equal(errorCodeOf(over.body), 'too_many_connections');
      assert.equal(over.headers['retry-after'], '1');
      assert.ok(over.closedByServer, 'closed');
      await assertRecordedOnce(llmux, over.headers['x-request-id'], {
        status: 429,
        errorCode: 'too_many_connections',
      });
      const [first] = idle;
      first?.write(`GET /v1/models HTTP/1.1\r\nhost: llmux\r\nauthorization: Bearer ${FRONT_DOOR_KEY}\r\n\r\n`);
      await new Promise((resolve) => first?.once('data', resolve));
      const admitted = await rawExchange(
        llmux.url,
        `GET /v1/models HTTP/1.1\r\nhost: llmux\r\nauthorization: Bearer ${FRONT_DOOR_KEY}\r\nconnection: close\r\n\r\n`,
        { waitMs: 3000 },
      );
      assert.equal(admitted.status, 200, 'an authenticated connection no longer counts against the address');
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });
});

describe('front door: server.maxConnections', () => {
  let llmux: FrontDoorLlmux;

  before(async () => {
    llmux = await startFrontDoorLlmux('server: { maxConnections: 3, maxUnauthenticatedPerIp: 0 }');
  });
  after(async () => {
    await llmux?.close();
  });

  it('connections beyond the cap are dropped at accept, with a warning in the log', async () => {
    const held = await Promise.all([openIdleSocket(llmux.url), openIdleSocket(llmux.url), openIdleSocket(llmux.url)]);
    try {
      const dropped = await rawExchange(llmux.url, `GET /health HTTP/1.1\r\nhost: llmux\r\nconnection: close\r\n\r\n`, {
        waitMs: 3000,
      });
      assert.equal(dropped.status, undefined, 'no answer');
      assert.ok(dropped.closedByServer, 'closed at once');
      const deadline = Date.now() + 3000;
      while (!llmux.logs.some((line) => line.includes('server.maxConnections')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(
        llmux.logs.some((line) => line.includes('"dropped":1')),
        `a warning: ${llmux.logs.join('')}`,
      );
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await fetch(`${llmux.url}/health`);
    assert.equal(health.status, 200, 'served again once connections closed');
  });
});

describe('front door: large client strings and shutting down', () => {
  let llmux: FrontDoorLlmux;

  before(async () => {
    llmux = await startFrontDoorLlmux(`
server: { bodyLimitMb: 24 }
providers:
  sim: { type: simulator, chunkDelayMs: 100 }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
`);
  });
  after(async () => {
    await llmux?.close();
  });

  it('a 20 MB model name is stored capped, in the row and the log line', async () => {
    const model = 'm'.repeat(20 * MB);
    for (const messages of [[{ role: 'user', content: 'hi' }], 'not a list']) {
      const response = await fetch(`${llmux.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FRONT_DOOR_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages }),
      });
      await response.arrayBuffer();
      assert.ok(response.status >= 400 && response.status < 500, `a 4xx (${response.status})`);
      const [row] = await llmux.rowsFor(response.headers.get('x-request-id') ?? '');
      assert.ok(row, 'recorded');
      assert.ok(row.publicModel !== null && row.publicModel.length <= 256, `capped: ${row.publicModel?.length}`);
      assert.ok(row.publicModel.startsWith('mmmm'), 'the start is kept');
    }
    assert.ok(
      llmux.logs.every((line) => line.length < 64 * 1024),
      'no log line carries the 20 MB name',
    );
  });

  it('a request arriving during shutdown gets 503 shutting_down and is recorded', async () => {
    const { port } = new URL(llmux.url);
    const socket = await openIdleSocket(`http://127.0.0.1:${port}`);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    const body = JSON.stringify({
      model: 'demo',
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six' }],
    });
    socket.write(
      `${chatHead({ authorization: `Bearer ${FRONT_DOOR_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })}${body}`,
    );
    const deadline = Date.now() + 3000;
    while (!received.includes('data:') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const closing = llmux.app.close();
    socket.write(`GET /v1/models HTTP/1.1\r\nhost: llmux\r\nauthorization: Bearer ${FRONT_DOOR_KEY}\r\n\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    await closing;
    const second = received.slice(received.lastIndexOf('HTTP/1.1 '));
    assert.match(second, /^HTTP\/1\.1 503 /);
    const requestId = /x-request-id: (\S+)/i.exec(second)?.[1];
    assert.ok(requestId, 'the 503 has a request id');
    const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.ts');
    const store = await openSqliteStore(llmux.dbPath);
    try {
      const rows = (await store.listRequests({ limit: 1000 })).filter((row) => row.requestId === requestId);
      assert.equal(rows.length, 1, 'one row');
      assert.equal(rows[0]?.status, 503);
      assert.equal(rows[0]?.errorCode, 'shutting_down');
    } finally {
      await store.close();
    }
    assert.equal(llmux.logLinesFor(requestId).length, 1, 'one log line');
  });
});
