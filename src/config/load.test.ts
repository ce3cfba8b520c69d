// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are ${ENV} references, not templates
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERVER_DEFAULTS, STORE_DEFAULTS } from '../../test/support/config-defaults.ts';
import { parseConfig } from './load.ts';
import { COOLDOWN_DEFAULTS, RETRY_DEFAULTS, TIMEOUT_DEFAULTS } from './schema.ts';

test('an empty config is fully defaulted', () => {
  const config = parseConfig('', {}, 'empty.yaml');
  assert.deepEqual(config, {
    source: 'empty.yaml',
    server: SERVER_DEFAULTS,
    store: {
      kind: 'sqlite',
      path: './data/llmux.db',
      ...STORE_DEFAULTS,
    },
    logging: { level: 'info', format: 'json' },
    providers: {},
    models: [],
    disabledModels: [],
    router: {
      cooldown: { failures: 3, failureRate: 0.5, windowMs: 60000, cooldownMs: 30000 },
      retry: { attempts: 3, backoffMs: 200, maxBackoffMs: 8000, maxRetryAfterMs: 30000 },
      timeouts: { connectMs: 5000, firstByteMs: 60000, idleMs: 30000, totalMs: 600000 },
    },
    keys: [],
    teams: [],
    pricing: { unpriced: 'allow', models: [] },
    limits: { onStoreError: 'open', redisTimeoutMs: 250, defaultMaxOutputTokens: 4096 },
    responses: { retentionDays: 30, maxStoredMb: 16 },
    metrics: { enabled: true, keyLabel: true },
    telemetry: { sampleRatio: 1, captureContent: false },
    redis: undefined,
    notices: [],
  });
  assert.deepEqual(config.router.cooldown, COOLDOWN_DEFAULTS);
});

test('partially given sections keep the defaults of the missing fields', () => {
  const config = parseConfig(
    `server: { port: 8080 }
store: { postgres: "postgres://u:p@db/llmux" }
providers:
  sim: { type: simulator, chunkDelayMs: 2 }
models:
  - name: m
    deployments: [{ provider: sim, model: x }]
keys:
  - { name: dev, key: sk-12345678 }
`,
    {},
    'test.yaml',
  );
  assert.deepEqual(config.server, { ...SERVER_DEFAULTS, port: 8080 });
  assert.deepEqual(config.store, {
    kind: 'postgres',
    url: 'postgres://u:p@db/llmux',
    ...STORE_DEFAULTS,
  });
  assert.deepEqual(config.providers.sim, {
    type: 'simulator',
    name: 'sim',
    enabled: true,
    latencyMs: 0,
    chunkDelayMs: 2,
    chunkSize: 4,
    headers: {},
    capabilities: {},
  });
  assert.deepEqual(config.models[0], {
    name: 'm',
    strategy: 'weighted',
    deployments: [
      {
        provider: 'sim',
        model: 'x',
        weight: 1,
        priority: 0,
        capabilities: {},
        bodyOverrides: {},
        headers: {},
        timeouts: TIMEOUT_DEFAULTS,
      },
    ],
    fallbacks: [],
    retry: RETRY_DEFAULTS,
    timeouts: TIMEOUT_DEFAULTS,
  });
  assert.deepEqual(config.keys, [{ name: 'dev', key: 'sk-12345678', models: ['*'] }]);
});

test('env strings are coerced where the schema wants numbers and booleans', () => {
  const config = parseConfig(
    `server: { port: "\${PORT}", bodyLimitMb: "\${LIMIT:-1.5}", host: "\${HOST:-0.0.0.0}" }
providers:
  sim: { type: simulator, latencyMs: "\${LATENCY:-25}" }
  local:
    type: openai-compatible
    baseUrl: http://127.0.0.1:\${PORT}/v1/
    apiKey: \${NUMERIC_KEY}
    capabilities: { dropUnsupported: "\${DROP}", maxOutputTokens: "\${MAX}" }
models:
  - name: m
    deployments: [{ provider: sim, model: "\${PORT}", weight: "\${WEIGHT}" }]
keys:
  - { name: "\${PORT}", key: 00123456789 }
`,
    { PORT: '8080', DROP: 'TRUE', MAX: '4096', WEIGHT: '0.25', NUMERIC_KEY: '0012' },
    'test.yaml',
  );
  assert.equal(config.server.port, 8080);
  assert.equal(config.server.bodyLimitMb, 1.5);
  assert.equal(config.server.host, '0.0.0.0');
  const sim = config.providers.sim;
  assert.equal(sim?.type === 'simulator' ? sim.latencyMs : undefined, 25);
  const local = config.providers.local;
  assert.equal(local?.type, 'openai-compatible');
  assert.equal(local?.type === 'openai-compatible' ? local.baseUrl : undefined, 'http://127.0.0.1:8080/v1');
  assert.equal(local?.type === 'openai-compatible' ? local.apiKey : undefined, '0012');
  assert.deepEqual(local?.capabilities, { dropUnsupported: true, maxOutputTokens: 4096 });
  const deployment = config.models[0]?.deployments[0];
  assert.equal(deployment?.model, '8080');
  assert.equal(deployment?.weight, 0.25);
  assert.deepEqual(config.keys[0], { name: '8080', key: '00123456789', models: ['*'] });
});

test('an env value cannot inject YAML structure', () => {
  const evil = '"\n  injected: true\nmodels: []\n{ a: [';
  const config = parseConfig(
    `providers:
  local:
    type: openai-compatible
    baseUrl: "http://h/v1"
    apiKey: \${EVIL}
    headers: { X-Evil: "\${EVIL}" }
models:
  - name: m
    deployments:
      - provider: local
        model: x
        bodyOverrides:
          note: \${EVIL}
`,
    { EVIL: evil },
    'test.yaml',
  );
  const local = config.providers.local;
  assert.equal(local?.type === 'openai-compatible' ? local.apiKey : undefined, evil);
  assert.deepEqual(local?.headers, { 'X-Evil': evil });
  assert.equal(config.models.length, 1);
  assert.deepEqual(config.models[0]?.deployments[0]?.bodyOverrides, { note: evil });
  assert.equal('injected' in (local ?? {}), false);
});

test('$${ in the file stays a literal ${, and map keys are never substituted', () => {
  const config = parseConfig(
    `providers:
  sim: { type: simulator, headers: { "\${KEY}": "$\${NOT_EXPANDED}", X-Mixed: "a-\${V}-$\${V}" } }
`,
    { KEY: 'expanded', V: 'v', NOT_EXPANDED: 'oops' },
    'test.yaml',
  );
  assert.deepEqual(config.providers.sim?.headers, { '${KEY}': '${NOT_EXPANDED}', 'X-Mixed': 'a-v-${V}' });
});

test('model and provider overrides merge over router defaults, field by field', () => {
  const config = parseConfig(
    `router:
  retry: { attempts: 5 }
  timeouts: { connectMs: 1000 }
providers:
  slow:
    type: simulator
    timeouts: { firstByteMs: 120000, idleMs: 1 }
    headers: { X-A: provider, X-B: provider }
    capabilities: { dropUnsupported: true, maxOutputTokens: 100 }
models:
  - name: m
    retry: { backoffMs: 50 }
    timeouts: { idleMs: 2 }
    deployments:
      - { provider: slow, model: x, headers: { X-B: deployment }, capabilities: { maxOutputTokens: 200 } }
`,
    {},
    'test.yaml',
  );
  const model = config.models[0];
  assert.deepEqual(model?.retry, { attempts: 5, backoffMs: 50, maxBackoffMs: 8000, maxRetryAfterMs: 30000 });
  assert.deepEqual(model?.timeouts, { connectMs: 1000, firstByteMs: 60000, idleMs: 2, totalMs: 600000 });
  const deployment = model?.deployments[0];
  assert.deepEqual(deployment?.timeouts, { connectMs: 1000, firstByteMs: 120000, idleMs: 2, totalMs: 600000 });
  assert.deepEqual(deployment?.headers, { 'X-A': 'provider', 'X-B': 'deployment' });
  assert.deepEqual(deployment?.capabilities, { dropUnsupported: true, maxOutputTokens: 200 });
});

test('providers without an apiKey are disabled; their models are dropped with notices', () => {
  const text = `providers:
  openai: { type: openai, apiKey: "\${OPENAI_API_KEY}" }
  claude: { type: anthropic, apiKey: "" }
  google: { type: gemini, apiKey: "\${GEMINI_API_KEY:-}", baseUrl: "\${GEMINI_BASE_URL}" }
  sim: { type: simulator }
models:
  - name: gpt
    deployments: [{ provider: openai, model: gpt-4.1 }]
    fallbacks: [both, mixed]
  - name: both
    deployments: [{ provider: openai, model: a }, { provider: claude, model: b }, { provider: openai, model: c }]
  - name: mixed
    deployments: [{ provider: google, model: g }, { provider: sim, model: s }]
    fallbacks: [gpt, both]
`;
  const config = parseConfig(text, {}, 'test.yaml');
  assert.equal(config.providers.openai?.enabled, false);
  assert.equal(config.providers.claude?.enabled, false);
  assert.equal(config.providers.google?.enabled, false);
  assert.equal(config.providers.sim?.enabled, true);
  assert.equal(config.providers.google?.type === 'gemini' && 'baseUrl' in config.providers.google, false);
  assert.deepEqual(
    config.models.map((model) => [model.name, model.deployments.map((d) => d.model), model.fallbacks]),
    [['mixed', ['s'], []]],
  );
  assert.deepEqual(config.disabledModels, [
    { name: 'gpt', reason: 'provider openai has no apiKey (set OPENAI_API_KEY)' },
    { name: 'both', reason: 'provider openai has no apiKey (set OPENAI_API_KEY); provider claude has no apiKey' },
  ]);
  assert.deepEqual(config.notices, [
    'model gpt disabled: provider openai has no apiKey (set OPENAI_API_KEY)',
    'model both disabled: provider openai has no apiKey (set OPENAI_API_KEY); provider claude has no apiKey',
    'model mixed: deployment google/g skipped: provider google has no apiKey (set GEMINI_API_KEY)',
    'model mixed: fallback gpt skipped (model gpt is disabled)',
    'model mixed: fallback both skipped (model both is disabled)',
  ]);

  const enabled = parseConfig(text, { OPENAI_API_KEY: 'sk-live-secret', GEMINI_API_KEY: 'g-secret' }, 'test.yaml');
  assert.deepEqual(
    enabled.models.map((model) => [model.name, model.deployments.map((d) => d.model), model.fallbacks]),
    [
      ['gpt', ['gpt-4.1'], ['both', 'mixed']],
      ['both', ['a', 'c'], []],
      ['mixed', ['g', 's'], ['gpt', 'both']],
    ],
  );
  assert.deepEqual(enabled.notices, ['model both: deployment claude/b skipped: provider claude has no apiKey']);
  assert.equal(enabled.providers.openai?.type === 'openai' ? enabled.providers.openai.apiKey : '', 'sk-live-secret');
});

test('YAML anchors and aliases are followed', () => {
  const config = parseConfig(
    `providers:
  sim: { type: simulator }
models:
  - name: a
    deployments: &shared [{ provider: sim, model: x, weight: 2 }]
  - name: b
    deployments: *shared
`,
    {},
    'test.yaml',
  );
  assert.deepEqual(
    config.models.map((model) => [model.name, model.deployments[0]?.weight]),
    [
      ['a', 2],
      ['b', 2],
    ],
  );
});
