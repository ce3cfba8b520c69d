import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../config/index.ts';
import { planReload } from './reload.ts';

const config = (yaml: string) => parseConfig(yaml, {}, 'reload.yaml');

test('a reload keeps metrics, logging.format and server.metricsKey as they were, and names them; logging.level applies', () => {
  const current = config('server: { metricsKey: metrics-key-before-0001 }\n');
  const next = config(
    'server: { metricsKey: metrics-key-after-00001 }\nmetrics: { keyLabel: false }\nlogging: { level: debug, format: pretty }\n',
  );
  const plan = planReload(current, next);
  assert.deepEqual(plan.ignored.sort(), ['logging.format', 'metrics', 'server.metricsKey']);
  assert.deepEqual(plan.config.metrics, { enabled: true, keyLabel: true });
  assert.deepEqual(plan.config.logging, { level: 'debug', format: 'json' });
  assert.equal(plan.config.server.metricsKey, 'metrics-key-before-0001');
  assert.deepEqual(planReload(current, current).ignored, [], 'nothing changed, nothing named');
});
