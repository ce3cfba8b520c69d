import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/llmux.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'llmux-check-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function llmux(args: string[], env: Record<string, string> = {}) {
  const { OPENAI_API_KEY: _unset, ...rest } = process.env;
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...rest, ...env }, timeout: 60_000 });
}

function configFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

test('llmux --version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const run = llmux(['--version']);
  assert.equal(run.status, 0, `exit 0 (stderr: ${run.stderr})`);
  assert.equal(run.stdout.trim(), version, 'the version from package.json');
});

test('llmux check: a valid config exits 0 and lists models, deployments and what is disabled and why', () => {
  const path = configFile(
    'valid.yaml',
    `
providers:
  local: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" }
  openai: { type: openai, apiKey: "\${OPENAI_API_KEY}" }
models:
  - name: chat
    deployments: [{ provider: local, model: qwen3 }, { provider: openai, model: gpt-4.1 }]
  - name: gpt-4.1
    deployments: [{ provider: openai, model: gpt-4.1 }]
keys:
  - { name: team, key: sk-llmux-team-key-0001 }
`,
  );
  const run = llmux(['check', '--config', path]);
  assert.equal(run.status, 0, `exit 0 (stderr: ${run.stderr})`);
  assert.match(run.stdout, /openai \(openai\): disabled/, 'the disabled provider');
  assert.match(run.stdout, /^ {2}chat \(weighted\)$/m, 'the enabled model');
  assert.match(run.stdout, /^ {4}local\/qwen3 /m, 'its deployment');
  assert.match(
    run.stdout,
    /gpt-4\.1: provider openai has no apiKey \(set OPENAI_API_KEY\)/,
    'the disabled model and why',
  );
  assert.match(run.stdout, /deployment openai\/gpt-4\.1 skipped/, 'the skipped deployment');
  assert.ok(!run.stdout.includes('sk-llmux-team-key-0001'), 'no key is printed');
});

test('llmux check: an invalid config exits 2 with the errors', () => {
  const path = configFile(
    'invalid.yaml',
    'models:\n  - name: chat\n    deployments: [{ provider: nowhere, model: x }]\n',
  );
  const run = llmux(['check', '--config', path]);
  assert.equal(run.status, 2, 'exit 2');
  assert.match(run.stderr, /nowhere/, 'the error names the unknown provider');
});
