// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are ${ENV} references, not templates
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { parseConfig } from './load.ts';

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, env, 'test.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  }
  assert.fail('expected a ConfigError');
}

function errorOf(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, env, 'test.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

const SIM = 'providers:\n  sim: { type: simulator }\n';

test('every problem is reported at once, in file order, with paths and lines', () => {
  const text = `server:
  port: 70000
providers:
  openai: { type: openai, apiKey: x }
  local: { type: openai-compatible, baseUrl: "http://h/v1" }
  sim: { type: simulatr }
models:
  - name: m
    deployments:
      - { provider: opnai, model: x }
keys:
  - { name: dev }
`;
  const error = errorOf(text);
  assert.deepEqual(
    error.issues.map((issue) => [issue.path, issue.message, issue.line]),
    [
      ['server.port', 'must be an integer between 0 and 65535', 2],
      ['providers.sim.type', 'must be one of openai, openai-compatible, anthropic, gemini, azure, simulator', 6],
      ['models[0].deployments[0].provider', 'unknown provider "opnai" (known: openai, local, sim)', 10],
      ['keys[0].key', 'required', 12],
    ],
  );
  assert.equal(
    error.message,
    [
      'invalid config test.yaml (4 problems):',
      '  server.port: must be an integer between 0 and 65535 (line 2, column 9)',
      '  providers.sim.type: must be one of openai, openai-compatible, anthropic, gemini, azure, simulator (line 6, column 16)',
      '  models[0].deployments[0].provider: unknown provider "opnai" (known: openai, local, sim) (line 10, column 21)',
      '  keys[0].key: required (line 12, column 5)',
    ].join('\n'),
  );
});

test('unknown keys are errors, with a suggestion for typos', () => {
  const text = `${SIM}models:
  - name: m
    deployment: [{ provider: sim, model: x }]
servr: {}
logging: { level: info, colour: json }
`;
  assert.deepEqual(issuesOf(text), [
    'models[0].deployments: required',
    'models[0].deployment: unknown key (did you mean "deployments"?)',
    'servr: unknown key (did you mean "server"?)',
    'logging.colour: unknown key (expected one of: level, format)',
  ]);
});

test('keys inside headers and bodyOverrides are free-form', () => {
  const text = `${SIM}models:
  - name: m
    deployments:
      - provider: sim
        model: x
        headers: { X-Anything: "1" }
        bodyOverrides: { whatever: { nested: [1, true, null] } }
`;
  const config = parseConfig(text, {}, 'test.yaml');
  assert.deepEqual(config.models[0]?.deployments[0]?.bodyOverrides, { whatever: { nested: [1, true, null] } });
  assert.deepEqual(config.models[0]?.deployments[0]?.headers, { 'X-Anything': '1' });
});

test('type and range messages', () => {
  const text = `server: { port: abc, host: "", bodyLimitMb: 0, shutdownGraceMs: -1 }
logging: { level: loud }
${SIM}models:
  - name: m
    strategy: random
    deployments: { provider: sim }
    fallbacks: gpt
  - name: n
    deployments: []
    retry: { attempts: 0, backoffMs: 1.5 }
  - name: o
    deployments: [{ provider: sim, model: x, capabilities: { dropUnsupported: maybe, maxOutputTokens: 0 } }]
`;
  assert.deepEqual(issuesOf(text), [
    'server.port: must be an integer between 0 and 65535',
    'server.host: must not be empty',
    'server.bodyLimitMb: must be a number > 0',
    'server.shutdownGraceMs: must be an integer >= 0',
    'logging.level: must be one of fatal, error, warn, info, debug, trace, silent',
    'models[0].strategy: must be one of weighted, priority, least-busy, latency, cost',
    'models[0].deployments: must be a list',
    'models[0].fallbacks: must be a list',
    'models[1].deployments: must have at least 1 entry',
    'models[1].retry.attempts: must be an integer between 1 and 100',
    'models[1].retry.backoffMs: must be an integer >= 0',
    'models[2].deployments[0].capabilities.dropUnsupported: must be true or false',
    'models[2].deployments[0].capabilities.maxOutputTokens: must be an integer >= 1',
  ]);
});

test('provider rules: baseUrl, openai-compatible, names, type-specific keys', () => {
  const text = `providers:
  local: { type: openai-compatible }
  other: { type: openai-compatible, baseUrl: "\${UNSET}" }
  bad: { type: anthropic, apiKey: k, baseUrl: "ftp://x" }
  relative: { type: gemini, apiKey: k, baseUrl: "/v1" }
  openai: { type: openai, apiKey: k, latencyMs: 5 }
  notype: { apiKey: k }
  "my provider": { type: simulator }
`;
  assert.deepEqual(issuesOf(text), [
    'providers.local.baseUrl: required',
    'providers.other.baseUrl: empty because UNSET is unset (required)',
    'providers.bad.baseUrl: must be an http(s) URL',
    'providers.relative.baseUrl: must be an http(s) URL',
    'providers.openai.latencyMs: unknown key (expected one of: type, apiKey, baseUrl, headers, timeouts, capabilities, responsesApi)',
    'providers.notype.type: required',
    'providers["my provider"]: name must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
  ]);
});

test('model cross checks: unique names, wildcards, fallbacks', () => {
  const text = `${SIM}models:
  - { name: a, deployments: [{ provider: sim, model: x }], fallbacks: [a, b, nope] }
  - { name: b, deployments: [{ provider: sim, model: x }] }
  - { name: a, deployments: [{ provider: sim, model: x }] }
  - { name: "x/*/*", deployments: [{ provider: sim, model: "*" }] }
  - { name: plain, deployments: [{ provider: sim, model: "*" }] }
`;
  assert.deepEqual(issuesOf(text), [
    'models[0].fallbacks[0]: a model cannot fall back to itself',
    'models[0].fallbacks[2]: unknown model "nope"',
    'models[2].name: duplicate model name "a" (also models[0])',
    'models[3].name: may contain at most one "*"',
    'models[4].deployments[0].model: "*" is only allowed when the model name contains "*"',
  ]);
});

test('key rules: length, unique names and values; secrets never appear in messages', () => {
  const text = `keys:
  - { name: a, key: short }
  - { name: b, key: sk-secret-value-1 }
  - { name: b, key: sk-secret-value-1 }
  - { name: c, key: "\${SHORT_KEY}" }
  - { name: d, key: sk-other-value, models: "*" }
`;
  const error = errorOf(text, { SHORT_KEY: 'tiny' });
  assert.deepEqual(
    error.issues.map((issue) => `${issue.path}: ${issue.message}`),
    [
      'keys[0].key: must be at least 8 characters',
      'keys[2].name: duplicate key name "b" (also keys[1])',
      'keys[2].key: same key as keys[1]',
      'keys[3].key: must be at least 8 characters',
      'keys[4].models: must be a list',
    ],
  );
  for (const secret of ['short', 'sk-secret-value-1', 'tiny']) assert.ok(!error.message.includes(secret), secret);
});

test('store: exactly one backend; postgres needs a URL', () => {
  assert.deepEqual(issuesOf('store: {}'), ['store: set exactly one of sqlite, postgres']);
  assert.deepEqual(issuesOf('store: { sqlite: a.db, postgres: "postgres://h/db" }'), [
    'store: set exactly one of sqlite, postgres',
  ]);
  assert.deepEqual(issuesOf('store: { postgres: "mysql://h/db" }'), [
    'store.postgres: must be a postgres:// or postgresql:// URL',
  ]);
  assert.deepEqual(issuesOf('store: { mysql: x }'), [
    'store.mysql: unknown key (expected one of: sqlite, postgres, flushIntervalMs, journal, journalSyncMs, retentionDays)',
    'store: set exactly one of sqlite, postgres',
  ]);
});

test('YAML syntax errors carry line and column and no source excerpt', () => {
  const error = errorOf('server:\n  port: 1\n keys: [\n');
  assert.ok(error.issues.length > 0);
  const first = error.issues[0];
  assert.equal(first?.path, '');
  assert.match(first?.message ?? '', /^YAML syntax error: /);
  assert.equal(typeof first?.line, 'number');
  assert.equal(typeof first?.column, 'number');
  assert.match(error.message, /^invalid config test\.yaml/);

  const cascade = errorOf(
    'keys:\n  - { name: a, key: ${KEY} }\n  - { name: b, key: sk-literal-secret, models: [a }\nserver: {}\n',
  );
  assert.ok(cascade.issues.length <= 4, cascade.message);
  assert.ok(!cascade.message.includes('sk-literal-secret'), cascade.message);

  const duplicate = errorOf('server: {}\nserver: {}\n');
  assert.deepEqual(
    duplicate.issues.map((issue) => [issue.message, issue.line]),
    [['YAML syntax error: Map keys must be unique', 2]],
  );
});

test('the top level must be a mapping; an empty file is all defaults', () => {
  assert.deepEqual(issuesOf('- a\n- b\n'), ['top level must be a mapping']);
  assert.equal(parseConfig('', {}, 'empty.yaml').server.port, 4000);
  assert.equal(parseConfig('# only a comment\n', {}, 'empty.yaml').models.length, 0);
});

test('a bad env reference is reported once, at its path', () => {
  assert.deepEqual(issuesOf('server: { port: "${1PORT}" }'), [
    'server.port: invalid reference "${1PORT}": expected ${NAME} or ${NAME:-default} (write "$${" for a literal "${")',
  ]);
});

test('loadConfig names the file it could not read', async () => {
  const { loadConfig } = await import('./load.ts');
  assert.throws(() => loadConfig('/nonexistent/llmux.yaml', {}), {
    name: 'ConfigError',
    message: 'invalid config /nonexistent/llmux.yaml (1 problem):\n  cannot read the config file (ENOENT)',
  });
});
