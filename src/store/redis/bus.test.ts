import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { findRedis, redisUnreachable, testPrefix } from '../../../test/support/redis.ts';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.ts';
import { RedisBus, type RedisBusOptions } from './bus.ts';

const url = await findRedis();
const TIMEOUT_MS = 300;

/** Resolves with the messages once `count` arrived; rejects after `withinMs`. */
function collector(): {
  messages: string[];
  handler: (m: string) => void;
  wait: (count: number, withinMs: number) => Promise<string[]>;
} {
  const messages: string[] = [];
  return {
    messages,
    handler: (message) => messages.push(message),
    wait: async (count, withinMs) => {
      const deadline = Date.now() + withinMs;
      while (messages.length < count && Date.now() < deadline) await sleep(5);
      assert.ok(messages.length >= count, `expected ${count} messages within ${withinMs} ms, got ${messages.length}`);
      return messages;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!url) {
  redisUnreachable('RedisBus');
} else {
  describe('RedisBus on a real Redis', () => {
    const prefix = testPrefix();
    const buses: RedisBus[] = [];
    const admin = createClient({ url });
    admin.on('error', () => {});
    const open = async (options: Partial<RedisBusOptions> = {}, busUrl = url) => {
      const bus = await RedisBus.connect(busUrl, { commandTimeoutMs: TIMEOUT_MS, channelPrefix: prefix, ...options });
      buses.push(bus);
      return bus;
    };

    before(async () => {
      await admin.connect();
    });
    after(async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      admin.destroy();
    });

    it('delivers to every bus on its own connections within 1 s, the publisher included', async () => {
      const [a, b] = [await open(), await open()];
      const [atA, atB] = [collector(), collector()];
      await a.subscribe('topic', atA.handler);
      await b.subscribe('topic', atB.handler);
      await b.subscribe('other', () => assert.fail('a message on another topic'));
      await a.publish('topic', 'hello');
      assert.deepEqual(await atA.wait(1, 1000), ['hello'], 'own message delivered');
      assert.deepEqual(await atB.wait(1, 1000), ['hello'], 'other bus got it');
    });

    it('subscribes again after its connection is killed, and delivers within 1 s', async () => {
      const name = `${prefix}sub`.replaceAll(':', '-');
      let resubscribed = 0;
      const bus = await open({ subscriberName: name, onResubscribed: () => resubscribed++ });
      const got = collector();
      await bus.subscribe('topic', got.handler);
      const before = await subscriberIds(admin, name);
      assert.equal(before.length, 1, `one subscriber connection named ${name}`);
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(before[0])]);
      const killedAt = Date.now();
      // Publish until delivered: messages sent before the resubscription are lost, by design of pub/sub.
      while (got.messages.length === 0 && Date.now() - killedAt < 1000) {
        await bus.publish('topic', 'again').catch(() => undefined);
        await sleep(25);
      }
      assert.ok(got.messages.length > 0, 'delivered within 1 s of the kill');
      const afterIds = await subscriberIds(admin, name);
      assert.ok(afterIds.length === 1 && afterIds[0] !== before[0], 'a new subscriber connection');
      assert.equal(resubscribed, 1, 'onResubscribed called once');
    });

    describe('through a proxy that fails', () => {
      let proxy: TcpProxy;
      before(async () => {
        const target = new URL(url);
        proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      });
      after(async () => {
        await proxy.close();
      });
      const proxied = () => `redis://127.0.0.1:${proxy.port}`;

      it('close() releases both connections', async () => {
        const bus = await RedisBus.connect(proxied(), { commandTimeoutMs: TIMEOUT_MS, channelPrefix: prefix });
        await bus.subscribe('topic', () => {});
        assert.equal(proxy.openConnections, 2, 'a publisher and a subscriber connection');
        await bus.close();
        await waitFor(() => proxy.openConnections === 0, 1000);
        assert.equal(proxy.openConnections, 0, 'no connection left open');
      });

      it('publish rejects at once while Redis is down, recovers when it is back, and close does not hang', async () => {
        let resubscribed = 0;
        const bus = await open({ onResubscribed: () => resubscribed++ }, proxied());
        const got = collector();
        await bus.subscribe('topic', got.handler);
        await proxy.down();
        await sleep(20);
        const started = Date.now();
        const result = await bus.publish('topic', 'lost').then(
          () => 'resolved',
          () => 'rejected',
        );
        assert.equal(result, 'rejected', 'publish rejects while down');
        assert.ok(Date.now() - started < TIMEOUT_MS, 'without waiting for the timeout');
        await proxy.up();
        await waitFor(() => resubscribed > 0, 3000);
        assert.equal(resubscribed, 1, 'subscribed again after the outage');
        await bus.publish('topic', 'back');
        assert.deepEqual(await got.wait(1, 1000), ['back'], 'delivered after the outage');
        await proxy.down();
        const closing = Date.now();
        await bus.close();
        assert.ok(Date.now() - closing < 1000, 'close returns while Redis is down');
        await proxy.up();
      });

      it('publish rejects after the command timeout when Redis stops answering', async () => {
        const bus = await open({}, proxied());
        proxy.stall();
        const started = Date.now();
        const result = await bus.publish('topic', 'stuck').then(
          () => 'resolved',
          () => 'rejected',
        );
        const elapsed = Date.now() - started;
        assert.equal(result, 'rejected', 'publish rejects on a stalled server');
        assert.ok(
          elapsed >= TIMEOUT_MS - 20 && elapsed < TIMEOUT_MS + 500,
          `rejected after ~${TIMEOUT_MS} ms, took ${elapsed}`,
        );
        await proxy.down();
        await proxy.up();
      });
    });
  });
}

async function subscriberIds(
  admin: { sendCommand(args: string[]): Promise<unknown> },
  name: string,
): Promise<string[]> {
  const list = String(await admin.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub']));
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? '');
}

async function waitFor(condition: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition() && Date.now() < deadline) await sleep(10);
}
