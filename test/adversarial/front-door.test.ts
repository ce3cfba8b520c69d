/**
 * Issue 12, items 8 and 9 at the front door: requests rejected before any routing (bad key, bad
 * JSON, bad content type, unknown route, oversized body) are answered in the OpenAI envelope and
 * every one of them leaves a request-log row, without the presented key, with client-chosen
 * strings capped and a server-side request id when the client's is reused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectErrorEnvelope, expectSuccess } from './exchange.ts';
import { afterwards, CLIENT_KEY, mb, useAdversarialLlmux, user } from './harness.ts';
import { openRaw, toExchange } from './raw-http.ts';

/** Keys a prober might try; none may be stored or logged. */
const GUESSED_KEYS = Array.from({ length: 40 }, (_, i) => `sk-guessed-key-${String(i).padStart(4, '0')}-zq8w`);
/** Client-chosen strings stored in the request log are capped well below this. */
const STORED_TEXT_MAX = 8192;

describe('adversarial: front door (child process)', () => {
  const llmux = useAdversarialLlmux();

  const json = { 'content-type': 'application/json' };
  const auth = { authorization: `Bearer ${CLIENT_KEY}` };
  const valid = JSON.stringify({ model: 'compat', messages: user });

  it('wrong or missing keys → 401 invalid_api_key (also as a concurrent burst)', async () => {
    expectErrorEnvelope(await llmux().send('no key', { headers: json, body: valid }), {
      status: 401,
      code: 'invalid_api_key',
    });
    expectErrorEnvelope(
      await llmux().send('wrong x-api-key', { headers: { ...json, 'x-api-key': 'sk-wrong-x-api-key-1' }, body: valid }),
      { status: 401, code: 'invalid_api_key' },
    );
    const burst = await Promise.all(
      GUESSED_KEYS.map((key, i) =>
        llmux().send(`guessed key ${i}`, { headers: { ...json, authorization: `Bearer ${key}` }, body: valid }),
      ),
    );
    for (const exchange of burst) expectErrorEnvelope(exchange, { status: 401, code: 'invalid_api_key' });
    assert.equal(llmux().sims.compat.requests.length, 0, 'no upstream request without a valid key');
  });

  it('invalid or empty JSON → 400 invalid_json', async () => {
    for (const [label, body] of [
      ['truncated JSON', '{"model":"compat","messages":[{"role":"user"'],
      ['not JSON', 'model=compat&messages=hi'],
      ['empty body', ''],
      ['a JSON string', '"hello"'],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ] as const) {
      const exchange = await llmux().send(label, { headers: { ...json, ...auth }, body });
      expectErrorEnvelope(exchange, { status: 400 });
    }
    const truncated = llmux().ledger.find((exchange) => exchange.label === 'truncated JSON');
    assert.ok(truncated, 'the truncated JSON exchange is in the ledger');
    expectErrorEnvelope(truncated, { status: 400, code: 'invalid_json' });
    assert.equal(llmux().sims.compat.requests.length, 0, 'nothing reached the upstream');
  });

  it('missing or malformed content-type → 415 unsupported_media_type', async () => {
    for (const contentType of ['', ';;;']) {
      const exchange = await llmux().send(`content-type "${contentType}"`, {
        headers: { ...auth, 'content-type': contentType },
        body: valid,
      });
      expectErrorEnvelope(exchange, { status: 415, code: 'unsupported_media_type' });
    }
  });

  it('unknown routes and methods → 404 in the OpenAI envelope', async () => {
    for (const [method, path] of [
      ['POST', '/v1/nope'],
      ['GET', '/admin/delete'],
      ['GET', '/v1/chat/completions'],
      ['DELETE', '/v1/models'],
      ['POST', '/v1/chat/completions/../../admin'],
    ] as const) {
      const exchange = await llmux().send(`${method} ${path}`, {
        method,
        path,
        headers: { ...json, ...auth },
        ...(method === 'POST' ? { body: valid } : {}),
      });
      expectErrorEnvelope(exchange, { status: (status) => status === 404 || status === 405 });
    }
  });

  it('a body over server.bodyLimitMb (2 MB here) → 413 payload_too_large, with and without a content-length', async () => {
    const big = JSON.stringify({ model: 'compat', messages: [{ role: 'user', content: 'x'.repeat(mb(3)) }] });
    expectErrorEnvelope(await llmux().send('3 MB body', { headers: { ...json, ...auth }, body: big }), {
      status: 413,
      code: 'payload_too_large',
    });
    // Chunked (no content-length): the limit must hold while reading.
    const connection = await openRaw(llmux().port);
    try {
      connection.write(
        'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n' +
          `authorization: Bearer ${CLIENT_KEY}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
      );
      const piece = Buffer.from(big.slice(0, 64 * 1024));
      for (let sent = 0; sent < mb(3) && connection.respondedAfterMs === undefined; sent += piece.length) {
        connection.write(`${piece.length.toString(16)}\r\n`);
        connection.write(piece);
        connection.write('\r\n');
        await sleep(1);
      }
      connection.write('0\r\n\r\n');
      const exchange = toExchange('3 MB chunked body', await connection.response(5000));
      llmux().remember(exchange);
      expectErrorEnvelope(exchange, { status: 413, code: 'payload_too_large' });
    } finally {
      connection.destroy();
    }
    assert.equal(llmux().sims.compat.requests.length, 0, 'nothing reached the upstream');
  });

  it('a 1.5 MB model name → 4xx (the stored copy is checked afterwards)', async () => {
    const exchange = await llmux().chat('1.5 MB model name', {
      model: `compat-${'m'.repeat(mb(1.5))}`,
      messages: user,
    });
    expectErrorEnvelope(exchange, { status: (status) => status >= 400 && status < 500 });
  });

  it('a reused client x-request-id → each answer still has its own request id', async () => {
    const first = await llmux().chat(
      'client id reused (1)',
      { model: 'compat', messages: user },
      { 'x-request-id': 'dup-1' },
    );
    const second = await llmux().chat(
      'client id reused (2)',
      { model: 'compat', messages: user },
      { 'x-request-id': 'dup-1' },
    );
    expectSuccess(first);
    expectSuccess(second);
    assert.ok(first.requestId && second.requestId, 'both answers carry an x-request-id');
    assert.notEqual(first.requestId, second.requestId, 'two requests, two request ids');
  });

  it('afterwards: alive, RSS near baseline, every rejection logged (no presented key stored, strings capped)', async () => {
    await afterwards(llmux(), { secrets: [...GUESSED_KEYS, 'sk-wrong-x-api-key-1'] });
    const rows = llmux().rows();
    const unauthenticated = rows.filter((row) => Number(row.status) === 401);
    assert.ok(unauthenticated.length >= GUESSED_KEYS.length + 2, `${unauthenticated.length} rows of 401s`);
    for (const row of unauthenticated) assert.equal(row.key_name, null, 'a 401 row names no key');
    const longest = Math.max(
      ...rows.flatMap((row) => Object.values(row).map((value) => (typeof value === 'string' ? value.length : 0))),
    );
    assert.ok(longest <= STORED_TEXT_MAX, `the longest string stored is ${longest} characters`);
    const longestLogLine = Math.max(...llmux().logs.map((line) => line.length));
    assert.ok(longestLogLine <= STORED_TEXT_MAX * 4, `the longest log line is ${longestLogLine} characters`);
  });
});
