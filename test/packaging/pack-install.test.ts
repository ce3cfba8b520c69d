/**
 * The package as a user installs it: `npm pack` (which builds dist/), installed into an empty folder,
 * runs `llmux serve` from the compiled build; `npm start` passes SIGTERM to the server, which drains
 * and flushes its request log, and leaves no process behind.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readRequestLog } from '../support/llmux-child.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'llmux-pack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'sk-pack-test-123';

// A few minutes (npm install compiles better-sqlite3): run by CI (.ci/run sets CI=1), skipped in a local `npm test`.
const skip = process.env.CI ? false : 'runs under CI=1 (npm pack + npm install take minutes)';

test('npm pack installs into an empty folder and runs; npm start stops cleanly on SIGTERM', {
  timeout: 900_000,
  skip,
}, async () => {
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd,
      encoding: 'utf8',
      // No download attempt for better-sqlite3's prebuilt binary: compile it, as `npm ci` does here.
      env: { ...process.env, npm_config_build_from_source: 'true' },
      timeout: 840_000,
    });
  npm(['pack', '--pack-destination', dir], REPO_ROOT);
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, `npm pack wrote a tarball in ${dir}`);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
  npm(['install', '--prefer-offline', join(dir, tarball)], app);

  const dbPath = join(app, 'llmux.db');
  const configPath = join(app, 'llmux.yaml');
  writeFileSync(
    configPath,
    `store: { sqlite: "${dbPath}" }
providers:
  sim: { type: simulator }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
keys:
  - { name: pack, key: ${KEY} }
`,
  );

  const bin = await serve(
    join(app, 'node_modules', '.bin', 'llmux'),
    ['serve', '--config', configPath, '--port', '0'],
    app,
  );
  assert.ok(!existsSync(join(app, 'node_modules', 'llmux', 'src')), 'no sources shipped: the bin runs dist/');
  await chat(bin.url);
  await consoleServed(bin.url);
  bin.child.kill('SIGTERM');
  const [binCode] = (await once(bin.child, 'exit')) as [number | null];
  assert.equal(binCode, 0, bin.output());
  assert.equal(readRequestLog(dbPath).length, 1, `the request log row is flushed: ${bin.output()}`);

  const packageDir = join(app, 'node_modules', 'llmux');
  const started = await serve('npm', ['start', '--', '--config', configPath, '--port', '0'], packageDir);
  assert.match(started.command, /dist\/cli\/main\.js/, `npm start runs the compiled build: ${started.output()}`);
  await chat(started.url);
  started.child.kill('SIGTERM');
  await once(started.child, 'exit');
  assert.ok(started.serverPid > 0, `the server logged its pid: ${started.output()}`);
  assert.throws(() => process.kill(started.serverPid, 0), /ESRCH/, 'no server process left behind');
  assert.match(started.output(), /shutdown complete/, `the server drained and closed: ${started.output()}`);
  assert.equal(readRequestLog(dbPath).length, 2, `the second request log row is flushed: ${started.output()}`);
});

interface Served {
  child: ChildProcess;
  url: string;
  serverPid: number;
  command: string;
  output(): string;
}

/** Spawns a command that starts llmux and waits for its "llmux listening" log line. */
async function serve(command: string, args: string[], cwd: string): Promise<Served> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, LLMUX_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const listening = new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`llmux did not start:\n${text}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /"pid":(\d+).*"address":"(http:[^"]+)".*"msg":"llmux listening"/.exec(text);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({ pid: Number(match[1]), url: match[2].replace('localhost', '127.0.0.1') });
      }
    });
    child.once('exit', () => reject(new Error(`llmux exited before listening:\n${text}`)));
  });
  try {
    const { url, pid } = await listening;
    const commandLine = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    return { child, url, serverPid: pid, command: commandLine, output: () => text };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function chat(url: string): Promise<void> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'Hello' }] }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  await response.text();
}

/** The console is in the package (dist/ui, built by prepare): its page and the script it loads. */
async function consoleServed(url: string): Promise<void> {
  const page = await fetch(`${url}/ui/`);
  const html = await page.text();
  assert.equal(page.status, 200, `the console page: ${html.slice(0, 200)}`);
  const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, `the page loads a built script: ${html.slice(0, 300)}`);
  const asset = await fetch(`${url}${script}`);
  assert.equal(asset.status, 200, `${script} is served`);
  assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8', 'as JavaScript');
  await asset.arrayBuffer();
}
