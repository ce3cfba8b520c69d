import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SERVER_DEFAULTS, STORE_DEFAULTS } from '../../test/support/config-defaults.ts';
import { loadConfig } from './load.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = `${root}llmux.yaml`;
const full = `${root}llmux.example-full.yaml`;

test('llmux.yaml with an empty environment serves only demo and local/*', () => {
  const config = loadConfig(sample, {});
  assert.equal(config.source, sample);
  assert.deepEqual(config.server, { ...SERVER_DEFAULTS, adminKey: 'sk-llmux-admin-dev' });
  assert.deepEqual(config.store, {
    kind: 'sqlite',
    path: './data/llmux.db',
    ...STORE_DEFAULTS,
  });
  assert.deepEqual(
    Object.values(config.providers).map((provider) => [provider.name, provider.type, provider.enabled]),
    [
      ['openai', 'openai', false],
      ['anthropic', 'anthropic', false],
      ['gemini', 'gemini', false],
      ['local', 'openai-compatible', true],
      ['sim', 'simulator', true],
    ],
  );
  assert.deepEqual(
    config.models.map((model) => [model.name, model.deployments.map((d) => `${d.provider}/${d.model}`)]),
    [
      ['local/*', ['local/*']],
      ['demo', ['sim/demo']],
    ],
  );
  const local = config.providers.local;
  assert.equal(local?.type === 'openai-compatible' ? local.baseUrl : undefined, 'http://127.0.0.1:8000/v1');
  assert.deepEqual(config.notices, [
    'model gpt-4.1 disabled: provider openai has no apiKey (set OPENAI_API_KEY)',
    'model gpt-4.1-mini disabled: provider openai has no apiKey (set OPENAI_API_KEY)',
    'model o4-mini disabled: provider openai has no apiKey (set OPENAI_API_KEY)',
    'model claude-sonnet-4-5 disabled: provider anthropic has no apiKey (set ANTHROPIC_API_KEY)',
    'model gemini-2.5-flash disabled: provider gemini has no apiKey (set GEMINI_API_KEY)',
  ]);
  assert.deepEqual(
    config.disabledModels.map((model) => model.name),
    ['gpt-4.1', 'gpt-4.1-mini', 'o4-mini', 'claude-sonnet-4-5', 'gemini-2.5-flash'],
  );
  assert.deepEqual(config.keys, [{ name: 'dev', key: 'sk-llmux-dev', models: ['*'] }]);
});

test('llmux.yaml with OPENAI_API_KEY set also serves the OpenAI models', () => {
  const env = {
    OPENAI_API_KEY: 'sk-test-openai-secret',
    LLMUX_DEV_KEY: 'sk-custom-dev-key',
    LOCAL_BASE_URL: 'http://gpu:9000/v1/',
  };
  const config = loadConfig(sample, env);
  assert.deepEqual(
    config.models.map((model) => model.name),
    ['gpt-4.1', 'gpt-4.1-mini', 'o4-mini', 'local/*', 'demo'],
  );
  const openai = config.providers.openai;
  assert.equal(openai?.enabled, true);
  assert.equal(openai?.type === 'openai' ? openai.apiKey : undefined, 'sk-test-openai-secret');
  const local = config.providers.local;
  assert.equal(local?.type === 'openai-compatible' ? local.baseUrl : undefined, 'http://gpu:9000/v1');
  assert.equal(config.keys[0]?.key, 'sk-custom-dev-key');
  assert.deepEqual(config.notices, [
    'model claude-sonnet-4-5 disabled: provider anthropic has no apiKey (set ANTHROPIC_API_KEY)',
    'model gemini-2.5-flash disabled: provider gemini has no apiKey (set GEMINI_API_KEY)',
  ]);
  assert.ok(!config.notices.join('\n').includes('sk-test-openai-secret'));
});

test('llmux.example-full.yaml is valid and matches the defaults it documents', () => {
  const config = loadConfig(full, { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' });
  const defaults = loadConfig(sample, {});
  // The sample config alone sets an admin key (the console on loopback, out of the box).
  const { adminKey: _sampleAdminKey, ...serverDefaults } = defaults.server;
  assert.deepEqual(config.server, serverDefaults);
  assert.deepEqual(config.router, defaults.router);
  assert.deepEqual(config.logging, defaults.logging);
  assert.deepEqual(config.metrics, defaults.metrics);
  assert.deepEqual(config.telemetry, defaults.telemetry);
  assert.deepEqual(config.store, defaults.store);
  const gpt = config.models.find((model) => model.name === 'gpt-4.1');
  assert.deepEqual(gpt?.fallbacks, ['claude-sonnet-4-5']);
  assert.deepEqual(gpt?.deployments[0]?.capabilities, {
    maxCompletionTokensOnly: false,
    developerRoleUnsupported: false,
    dropUnsupported: false,
  });
  assert.deepEqual(config.notices, []);
  const local = config.providers.local;
  assert.equal(local?.type === 'openai-compatible' ? local.apiKey : undefined, '');
});
