/**
 * Finding the Redis the tests run against. Without one the Redis tests are skipped on a developer
 * machine, but under CI (`CI` set) they fail: the suite must never pass by not running.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createClient } from 'redis';

export const redisUrl: string = process.env.LLMUX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The Redis URL when it answers a PING, else undefined. */
export async function findRedis(): Promise<string | undefined> {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return redisUrl;
  } catch {
    return undefined;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** A key (and channel) prefix of its own for one test run: `llmux-test:<random>:`. */
export function testPrefix(): string {
  return `llmux-test:${randomBytes(6).toString('hex')}:`;
}

/** Stands in for a Redis test when no Redis is reachable: a skip, or under CI a failure. */
export function redisUnreachable(name: string): void {
  const reason = `no Redis reachable at ${redisUrl}`;
  if (process.env.CI) {
    test(name, () => assert.fail(`${reason}; CI is set, so the Redis tests must run`));
  } else {
    test(name, { skip: reason }, () => {});
  }
}
