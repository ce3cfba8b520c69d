import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { parseConfig } from './load.ts';

test('front-door limits load from server: and refuse negative values', () => {
  const config = parseConfig(
    'server: { headersTimeoutMs: 1000, bodyTimeoutMs: 0, maxConnections: 50, maxUnauthenticatedPerIp: 0, maxInflightBodyMb: 1.5 }',
    {},
    'test.yaml',
  );
  assert.equal(config.server.headersTimeoutMs, 1000);
  assert.equal(config.server.bodyTimeoutMs, 0);
  assert.equal(config.server.maxConnections, 50);
  assert.equal(config.server.maxUnauthenticatedPerIp, 0);
  assert.equal(config.server.maxInflightBodyMb, 1.5);
  assert.throws(() => parseConfig('server: { bodyTimeoutMs: -1 }', {}, 'test.yaml'), ConfigError);
});

test('server.requestTimeoutMs was removed: any value is refused, saying what bounds a request instead', () => {
  for (const value of [0, 5000]) {
    assert.throws(
      () => parseConfig(`server:\n  port: 4000\n  requestTimeoutMs: ${value}\n`, {}, 'old.yaml'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.issues.length === 1 &&
        error.issues[0]?.path === 'server.requestTimeoutMs' &&
        error.issues[0].line === 3 &&
        /was removed.*headersTimeoutMs.*bodyTimeoutMs.*router\.timeouts/.test(error.issues[0].message),
    );
  }
});
