/**
 * Issue 12, items 3 and 4: clients that hold the gateway's resources without finishing a request.
 * Trickled bodies are cut at `server.bodyTimeoutMs`, a 401 closes the socket instead of reading a
 * huge declared body, unauthenticated connections from one address are capped, request bodies in
 * flight are bounded (503 + retry-after beyond), and a legitimate client is served meanwhile.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectErrorEnvelope, expectSuccess } from './exchange.ts';
import { afterwards, CLIENT_KEY, HARDENING, hasServerField, mb, useAdversarialLlmux, user } from './harness.ts';
import { chatHead, openRaw, type RawConnection, toExchange } from './raw-http.ts';

const TRICKLERS = 50;
const TRICKLE_EVERY_MS = 200;
/** How long the tricklers keep going on a server that never cuts them (bounds the test). */
const TRICKLE_FOR_MS = 6000;
/** Body timeout plus generous slack for two shared cores. */
const CUT_WITHIN_MS = HARDENING.bodyTimeoutMs + 2500;

describe('adversarial: slow and unauthenticated clients (child process)', () => {
  const llmux = useAdversarialLlmux();
  const open: RawConnection[] = [];
  afterEach(() => {
    for (const connection of open.splice(0)) connection.destroy();
  });

  const connect = async (localAddress?: string) => {
    const connection = await openRaw(llmux().port, localAddress);
    open.push(connection);
    return connection;
  };

  /** Records what a raw connection got back, when it was an HTTP answer with a request id. */
  const rememberRaw = async (label: string, connection: RawConnection) => {
    const response = await connection.response(0);
    if (response?.headers['x-request-id'] !== undefined) llmux().remember(toExchange(label, response));
    return response;
  };

  it(`${TRICKLERS} connections trickling a body are cut within the body timeout; a legitimate request is served meanwhile`, async () => {
    assert.ok(hasServerField('bodyTimeoutMs'), 'server.bodyTimeoutMs exists (issue 12 item 3)');
    const body = JSON.stringify({ model: 'compat', messages: [{ role: 'user', content: 'x'.repeat(4000) }] });
    const tricklers = await Promise.all(Array.from({ length: TRICKLERS }, () => connect()));
    for (const connection of tricklers) connection.write(chatHead(CLIENT_KEY, Buffer.byteLength(body)));
    const trickling = (async () => {
      for (let offset = 0, elapsed = 0; elapsed < TRICKLE_FOR_MS; offset++, elapsed += TRICKLE_EVERY_MS) {
        const live = tricklers.filter((connection) => connection.closedAfterMs === undefined);
        if (live.length === 0) return;
        for (const connection of live) connection.write(body.charAt(offset));
        await sleep(TRICKLE_EVERY_MS);
      }
    })();
    await sleep(300);
    const started = performance.now();
    expectSuccess(await llmux().chat('legitimate request among tricklers', { model: 'compat', messages: user }));
    assert.ok(performance.now() - started < 2000, 'the legitimate request was not held up');
    await trickling;
    const notCut = tricklers.filter(
      (connection) => connection.closedAfterMs === undefined || connection.closedAfterMs > CUT_WITHIN_MS,
    );
    assert.equal(notCut.length, 0, `every trickler is cut within ${CUT_WITHIN_MS} ms (${notCut.length} were not)`);
    for (const [i, connection] of tricklers.entries()) {
      const response = await rememberRaw(`trickler ${i}`, connection);
      if (response) expectErrorEnvelope(toExchange(`trickler ${i}`, response), { status: 408 });
    }
  });

  it('a 401 with a 50 MB declared body is answered at once and the socket closed without reading the body', async () => {
    const connections = await Promise.all(Array.from({ length: 30 }, () => connect()));
    for (const connection of connections) {
      connection.write(chatHead('sk-wrong-key-for-slow-test', 50_000_000));
      connection.write(Buffer.alloc(1024, 0x20));
    }
    for (const [i, connection] of connections.entries()) {
      const response = await connection.response(2000);
      assert.equal(response?.status, 401, `connection ${i} got its 401 without sending the body`);
      assert.ok(await connection.closed(2000), `connection ${i} was closed by the server after its 401`);
      await rememberRaw(`401 with a 50 MB declared body (${i})`, connection);
    }
    for (const connection of connections) {
      const response = await connection.response(0);
      if (response) expectErrorEnvelope(toExchange('401', response), { status: 401, code: 'invalid_api_key' });
    }
  });

  it('unauthenticated connections from one address are capped; another address is still served', async () => {
    assert.ok(hasServerField('maxUnauthenticatedPerIp'), 'server.maxUnauthenticatedPerIp exists (issue 12 item 3)');
    const excess = 16;
    const idle: RawConnection[] = [];
    for (let i = 0; i < HARDENING.maxUnauthenticatedPerIp + excess; i++) idle.push(await connect());
    for (let waited = 0; waited < 2000; waited += 50) {
      if (idle.filter((connection) => connection.closedAfterMs !== undefined).length >= excess) break;
      await sleep(50);
    }
    const closed = idle.filter((connection) => connection.closedAfterMs !== undefined).length;
    assert.ok(closed >= excess, `connections over the per-address cap are closed (${closed} of ${idle.length})`);

    const other = await connect('127.0.0.2');
    const body = JSON.stringify({ model: 'compat', messages: user });
    other.write(chatHead(CLIENT_KEY, Buffer.byteLength(body)) + body);
    const response = await other.response(5000);
    assert.equal(response?.status, 200, 'a client on another address is served while one address is at its cap');
    await rememberRaw('legitimate request from another address', other);
    for (const [i, connection] of idle.entries()) await rememberRaw(`idle connection ${i}`, connection);
    for (const connection of idle) connection.destroy();
    assert.ok(await addressServedAgain(), 'once the idle connections are gone, their address is served again');
  });

  /** The server notices closed sockets asynchronously: poll until a fresh connection from 127.0.0.1 is answered. */
  const addressServedAgain = async (): Promise<boolean> => {
    for (let waited = 0; waited < 3000; waited += 50) {
      const probe = await connect();
      probe.write('GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      const response = await probe.response(1000);
      probe.destroy();
      if (response?.status === 200) return true;
      await sleep(50);
    }
    return false;
  };

  it('request bodies in flight over server.maxInflightBodyMb → 503 with retry-after; served again once they are gone', async () => {
    assert.ok(hasServerField('maxInflightBodyMb'), 'server.maxInflightBodyMb exists (issue 12 item 4)');
    // Two bodies of 1.9 MB on their way (3.8 of the 4 MB budget), then a complete 1 MB request.
    // `expect: 100-continue`: the server's "100 Continue" shows it has taken the headers in.
    const declared = mb(1.9);
    const held = await Promise.all([connect(), connect()]);
    for (const connection of held) connection.write(chatHead(CLIENT_KEY, declared, 'expect: 100-continue\r\n'));
    for (const connection of held) {
      assert.ok(await connection.received(/^HTTP\/1\.1 100 /, 3000), 'the server took the held request in');
      connection.write(Buffer.alloc(64 * 1024, 0x20));
    }
    const oneMb = { model: 'compat', messages: [{ role: 'user', content: 'y'.repeat(mb(1)) }] };
    const refused = await llmux().chat('1 MB request over the in-flight budget', oneMb);
    expectErrorEnvelope(refused, { status: 503 });
    assert.ok(refused.headers['retry-after'] !== undefined, 'the 503 says when to retry');
    for (const [i, connection] of held.entries()) {
      connection.destroy();
      await rememberRaw(`held 1.9 MB body ${i}`, connection);
    }
    await sleep(300);
    expectSuccess(await llmux().chat('1 MB request once the budget is free', oneMb));
  });

  it('afterwards: alive, RSS near baseline, every answered request logged', () =>
    afterwards(llmux(), { secrets: ['sk-wrong-key-for-slow-test'] }));
});
