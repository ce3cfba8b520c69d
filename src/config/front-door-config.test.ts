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

test('server.requestTimeoutMs: 0 from an older file still loads; any other value is refused', () => {
  assert.equal(parseConfig('server: { requestTimeoutMs: 0 }', {}, 'old.yaml').server.requestTimeoutMs, 0);
  assert.throws(
    () => parseConfig('server: { requestTimeoutMs: 5000 }', {}, 'test.yaml'),
    (error: unknown) =>
      error instanceof ConfigError && error.issues.some((issue) => issue.path === 'server.requestTimeoutMs'),
  );
});
