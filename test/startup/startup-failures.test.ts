/**
 * Start-up failures an operator meets first: each is one sentence on stderr naming the setting to
 * change (no stack trace), exit code 1 for the environment, 2 for the config.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLlmuxChild } from '../support/llmux-child.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'llmux-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SIM = `providers:
  sim: { type: simulator }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
`;

function writeConfig(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

const sqlite = (name: string) => `store: { sqlite: "${join(dir, name)}" }\n`;
const testKey = 'keys:\n  - { name: t, key: sk-test-startup-1 }\n';

async function runServe(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, ['bin/llmux.js', 'serve', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LLMUX_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function assertOneSentence(
  result: { code: number | null; stderr: string; stdout: string },
  code: number,
  pattern: RegExp,
) {
  const output = `exit ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`;
  assert.equal(result.code, code, output);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr: ${output}`);
  assert.match(lines[0] ?? '', pattern, output);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace: ${output}`);
}

async function listeningServer(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

test('a port in use: one line naming server.port, exit 1', async () => {
  const busy = await listeningServer();
  try {
    const port = (busy.address() as { port: number }).port;
    const config = writeConfig('busy.yaml', sqlite('busy.db') + SIM + testKey);
    const result = await runServe(['--config', config, '--port', String(port)]);
    assertOneSentence(result, 1, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: .*in use.*server\\.port`));
  } finally {
    busy.close();
  }
});

test('an address of no interface: one line naming server.host, exit 1', async () => {
  const config = writeConfig('addr.yaml', sqlite('addr.db') + SIM + testKey);
  // 192.0.2.1 (TEST-NET-1) is never assigned to a local interface.
  const result = await runServe(['--config', config, '--host', '192.0.2.1', '--port', '0']);
  assertOneSentence(result, 1, /^cannot listen on 192\.0\.2\.1:0: .*server\.host/);
});

test('Postgres unreachable: one line naming store.postgres, without the password, exit 1', async () => {
  const closed = await listeningServer();
  const port = (closed.address() as { port: number }).port;
  closed.close();
  await once(closed, 'close');
  const config = writeConfig(
    'pg.yaml',
    `store: { postgres: "postgres://llmux:hunter2-secret@127.0.0.1:${port}/llmux" }\n${SIM}${testKey}`,
  );
  const result = await runServe(['--config', config, '--port', '0']);
  assertOneSentence(result, 1, /^cannot connect to the Postgres store .*connection refused.*store\.postgres/);
  assert.doesNotMatch(result.stderr, /hunter2/, 'the password is not printed');
});

test('Redis unreachable: one line naming redis, without the password, exit 1', async () => {
  const closed = await listeningServer();
  const port = (closed.address() as { port: number }).port;
  closed.close();
  await once(closed, 'close');
  const config = writeConfig(
    'redis.yaml',
    `${sqlite('redis.db')}redis: "redis://:hunter3-secret@127.0.0.1:${port}/0"\n${SIM}${testKey}`,
  );
  const result = await runServe(['--config', config, '--port', '0']);
  assertOneSentence(
    result,
    1,
    /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0 within 5000 ms.*change redis\)$/,
  );
  assert.doesNotMatch(result.stderr, /hunter3/, 'the password is not printed');
});

test('a SQLite path that cannot be created: one line naming store.sqlite, exit 1', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const config = writeConfig('sqlite.yaml', `store: { sqlite: "${file}/llmux.db" }\n${SIM}${testKey}`);
  const result = await runServe(['--config', config, '--port', '0']);
  assertOneSentence(result, 1, /^cannot open the SQLite store .*a-file\/llmux\.db: .*store\.sqlite/);
});

test('an unset environment variable is named in the config error', async () => {
  const config = writeConfig(
    'unset.yaml',
    `${sqlite('unset.db')}${SIM}keys:\n  - name: dev\n    key: \${LLMUX_TEST_UNSET_KEY}\n`,
  );
  const result = await runServe(['--config', config], { LLMUX_TEST_UNSET_KEY: undefined });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /keys\[0\]\.key: empty because LLMUX_TEST_UNSET_KEY is unset/, result.stderr);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace: ${result.stderr}`);
});

test('an unquoted env reference inside a flow mapping gets a hint to quote it', async () => {
  const config = writeConfig(
    'flow.yaml',
    `${sqlite('flow.db')}${SIM}keys:\n  - { name: dev, key: \${LLMUX_TEST_FLOW_KEY:-sk-secret-default} }\n`,
  );
  const result = await runServe(['--config', config]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    /unquoted \$\{LLMUX_TEST_FLOW_KEY:-…\} .*quote it: "\$\{LLMUX_TEST_FLOW_KEY:-…\}" \(line 8/,
    result.stderr,
  );
  assert.doesNotMatch(result.stderr, /YAML syntax error|sk-secret-default/, 'no parser cascade, no default value');
});

test('the sample key on an address beyond loopback is refused unless allowed', async () => {
  const sample = `${sqlite('sample.db')}${SIM}keys:\n  - { name: dev, key: "\${LLMUX_DEV_KEY:-sk-llmux-dev}" }\n`;
  const refused = await runServe(['--config', writeConfig('sample.yaml', sample), '--host', '0.0.0.0', '--port', '0']);
  assertOneSentence(
    refused,
    2,
    /^refusing to listen on 0\.0\.0\.0 .*sample key.*LLMUX_DEV_KEY.*server\.allowSampleKeys/,
  );

  const allowed = writeConfig('allowed.yaml', `server: { host: 0.0.0.0, allowSampleKeys: true }\n${sample}`);
  const llmux = await startLlmuxChild(allowed);
  await llmux.stop('SIGTERM');
  const ownKey = await startLlmuxChild(writeConfig('own.yaml', `server: { host: 0.0.0.0 }\n${sample}`), {
    env: { LLMUX_DEV_KEY: 'sk-my-own-key-123' },
  });
  await ownKey.stop('SIGTERM');

  const admin = `server: { host: 0.0.0.0, adminKey: "\${LLMUX_ADMIN_KEY:-sk-llmux-admin-dev}" }\n${sample}`;
  const adminRefused = await runServe(['--config', writeConfig('admin.yaml', admin), '--port', '0'], {
    LLMUX_DEV_KEY: 'sk-my-own-key-123',
  });
  assertOneSentence(adminRefused, 2, /^refusing to listen on 0\.0\.0\.0 .*sample admin key.*LLMUX_ADMIN_KEY/);
});

test('a config with no keys and no models starts, with a warning for each', async () => {
  const llmux = await startLlmuxChild(
    writeConfig('empty.yaml', `${sqlite('empty.db')}providers:\n  sim: { type: simulator }\n`),
  );
  await llmux.stop('SIGTERM');
  const warnings = llmux.entries.filter((entry) => entry.level === 40).map((entry) => String(entry.msg));
  assert.ok(
    warnings.some((msg) => /^no keys configured/.test(msg)),
    `a warning about keys: ${llmux.output()}`,
  );
  assert.ok(
    warnings.some((msg) => /^no models configured/.test(msg)),
    `a warning about models: ${llmux.output()}`,
  );
});
