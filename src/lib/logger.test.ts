import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.ts';
import { registerSecrets } from './redact.ts';

test('every logged line has registered secrets and key-shaped strings removed, in errors and their causes', () => {
  const KEY = 'logger-provider-key-0001';
  registerSecrets([KEY]);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const cause = Object.assign(new Error(`upstream said ${KEY}`), {
    body: `{"error":{"param":"${KEY}"}}`,
    headers: { authorization: 'Bearer sk-live-abcdefghijkl' },
  });
  logger.error({ err: new Error('failed', { cause }), upstream: { key: KEY } }, `request failed for ${KEY}`);
  logger.child({ requestId: 'r1' }).warn(`child ${KEY}`);
  assert.equal(lines.length, 2, 'both lines written');
  for (const line of lines) {
    assert.equal(line.includes(KEY), false, line);
    assert.equal(line.includes('sk-live'), false, line);
    assert.doesNotThrow(() => JSON.parse(line), 'still one JSON object per line');
  }
  assert.ok(lines[0]?.includes('request failed for [redacted]'), lines[0]);
});
