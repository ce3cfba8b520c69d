import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback } from './metrics.ts';

test('loopback: 127.0.0.0/8 and ::1 only, IPv4-mapped or not', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    assert.equal(isLoopback(address), true, address);
  for (const address of [
    '192.0.2.2',
    '10.0.0.1',
    '::ffff:192.0.2.2',
    'fd00::2',
    '0.0.0.0',
    '::',
    'unknown',
    '127.example',
  ]) {
    assert.equal(isLoopback(address), false, address);
  }
});
