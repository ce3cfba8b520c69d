import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.ts';
import { registerSecrets } from './redact.ts';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test('logging.format pretty: readable lines, not JSON, secrets redacted before formatting', () => {
  const SECRET = 'pretty-provider-secret-31';
  registerSecrets([SECRET]);
  const out = sink();
  const logger = createLogger('info', out.stream, 'pretty');
  logger.info({ requestId: 'req_1', keyName: 'alice', status: 200, upstream: `said ${SECRET}` }, 'request');
  logger.debug('below the level');
  const text = out.text();
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line per entry: ${text}`);
  assert.match(lines[0] ?? '', /INFO.*: request \{/, text);
  assert.ok(!text.includes(SECRET), text);
  assert.ok(text.includes('said [redacted]'), text);
  assert.match(text, /"requestId":"req_1"/);
  assert.match(text, /"keyName":"alice"/);
  assert.ok(!text.includes('below the level'), 'the level applies');
  assert.throws(() => JSON.parse(lines[0] ?? ''), 'not JSON');
  assert.ok(!text.includes('\u001b['), 'no colours when writing to a stream that is not the terminal');
});

test('logging.format json (the default): one JSON object per line', () => {
  const out = sink();
  createLogger('info', out.stream).info({ requestId: 'req_2' }, 'request');
  const entry = JSON.parse(out.text()) as Record<string, unknown>;
  assert.equal(entry.msg, 'request');
  assert.equal(entry.requestId, 'req_2');
});
