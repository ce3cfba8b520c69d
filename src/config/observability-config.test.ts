import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { parseConfig } from './load.ts';
import { configSecrets } from './secrets.ts';

function issuesOf(text: string): string[] {
  try {
    parseConfig(text, {}, 'test.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  assert.fail('expected a ConfigError');
}

test('metrics, logging.format and server.metricsKey: defaults and a registered secret', () => {
  const config = parseConfig('server: { metricsKey: a-metrics-key-of-16 }\n', {}, 'test.yaml');
  assert.deepEqual(config.metrics, { enabled: true, keyLabel: true });
  assert.equal(config.logging.format, 'json');
  assert.ok(configSecrets(config).includes('a-metrics-key-of-16'), 'the metrics key is redacted like the other keys');
});

test('bad values name their field; the metrics key may not double as the admin key or a client key', () => {
  assert.deepEqual(
    issuesOf(`server: { metricsKey: short, adminKey: admin-key-0123456789 }
logging: { format: text }
metrics: { enabled: yes please, keyLabels: false }
`),
    [
      'server.metricsKey: must be at least 16 characters',
      'logging.format: must be one of json, pretty',
      'metrics.enabled: must be true or false',
      'metrics.keyLabels: unknown key (did you mean "keyLabel"?)',
    ],
  );
  assert.deepEqual(issuesOf('server: { metricsKey: admin-key-0123456789, adminKey: admin-key-0123456789 }\n'), [
    'server.metricsKey: must differ from server.adminKey',
  ]);
  assert.deepEqual(
    issuesOf('server: { metricsKey: client-key-0123456789 }\nkeys: [{ name: app, key: client-key-0123456789 }]\n'),
    ['server.metricsKey: must differ from every client key (same as keys[0])'],
  );
});
