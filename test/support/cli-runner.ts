/**
 * The real coding CLIs (Claude Code, Codex, gemini-cli) as scripts/install-clis.sh installs them in
 * `$LLMUX_CLIS_DIR` (default /opt/llmux-clis): finding one (or why it is missing), a throwaway
 * HOME and project folder, a loopback sink for the traffic they send past their base URL, and one
 * bounded headless run in its own process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CLIS_DIR = process.env.LLMUX_CLIS_DIR ?? '/opt/llmux-clis';

/** The versions whose traffic was recorded (test/fixtures/clients); the same as in scripts/install-clis.sh. */
const KNOWN_CLIS = {
  'claude-code': {
    pkg: '@anthropic-ai/claude-code',
    version: '2.1.332',
    argv: (prefix: string) => [join(prefix, 'node_modules/@anthropic-ai/claude-code/bin/claude.exe')],
  },
  codex: {
    pkg: '@openai/codex',
    version: '0.171.0',
    argv: (prefix: string) => [process.execPath, join(prefix, 'node_modules/@openai/codex/bin/codex.js')],
  },
  'gemini-cli': {
    pkg: '@google/gemini-cli',
    version: '0.61.0',
    argv: (prefix: string) => [process.execPath, join(prefix, 'node_modules/@google/gemini-cli/bundle/gemini.js')],
  },
} as const;

export type CliName = keyof typeof KNOWN_CLIS;

export interface InstalledCli {
  name: CliName;
  version: string;
  /** The command and the arguments that come before the CLI's own. */
  argv: readonly string[];
}

export type CliLookup = { cli: InstalledCli; skip?: undefined } | { cli?: undefined; skip: string };

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The installed CLI, or why its tests skip (named, with the installer's own reason when it failed).
 * A skip is also printed to stderr, so that it is not lost among passing tests.
 */
export function findCli(name: CliName): CliLookup {
  const known = KNOWN_CLIS[name];
  const prefix = join(CLIS_DIR, name);
  const manifest = readText(join(prefix, 'node_modules', known.pkg, 'package.json'));
  const installed = manifest === undefined ? undefined : (JSON.parse(manifest) as { version?: string }).version;
  const failure = readText(join(prefix, 'install-error.txt'));
  if (installed === known.version && failure === undefined) {
    return { cli: { name, version: installed, argv: known.argv(prefix) } };
  }
  const why =
    failure ??
    (installed === undefined
      ? `not installed in ${prefix} (run scripts/install-clis.sh, or set LLMUX_CLIS_DIR)`
      : `${installed} is installed in ${prefix}, the tests need ${known.version} (run scripts/install-clis.sh)`);
  const skip = `${known.pkg}@${known.version} unavailable: ${why}`;
  process.stderr.write(`\n!!! SKIPPING the ${name} tests: ${skip}\n\n`);
  return { skip };
}

export interface CliWorkspace {
  /** The CLI's HOME (its settings, sessions and caches land here). */
  home: string;
  /** The working directory, holding notes.txt. */
  project: string;
  remove(): void;
}

/** A fresh HOME and a project folder whose notes.txt holds `The secret word is <secret>.` */
export function cliWorkspace(secret: string): CliWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'llmux-cli-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  writeFileSync(join(project, 'notes.txt'), `The secret word is ${secret}.\n`);
  return { home, project, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface SinkProxy {
  /** `http://127.0.0.1:PORT`, for HTTP(S)_PROXY. */
  url: string;
  /** What the CLIs tried to reach past their base URL (CONNECT targets, proxied URLs). */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A proxy that refuses everything at once: with HTTP(S)_PROXY pointing here and NO_PROXY naming the
 * loopback, a CLI's side traffic (telemetry, update checks) fails fast and never leaves the machine,
 * whether or not it has a network.
 */
export async function startSinkProxy(): Promise<SinkProxy> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The environment every CLI run starts from (as `env -i` in the recordings), proxied to `sink`. */
export function cliBaseEnv(home: string, sink: SinkProxy): Record<string, string> {
  return {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    TERM: 'dumb',
    HTTPS_PROXY: sink.url,
    HTTP_PROXY: sink.url,
    https_proxy: sink.url,
    http_proxy: sink.url,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  args: string[];
  cwd: string;
  /** The whole environment (nothing is inherited from the test process). */
  env: Record<string, string>;
  /** Default 180 s; then the whole process group is killed. */
  timeoutMs?: number;
}

const MAX_OUTPUT_CHARS = 1_000_000;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** Runs the CLI once, stdin empty, in a process group of its own that is killed on timeout and on exit. */
export async function runCli(cli: InstalledCli, options: CliRunOptions): Promise<CliRun> {
  const [command, ...prefixArgs] = cli.argv;
  if (command === undefined) throw new Error(`${cli.name}: no command`);
  const started = performance.now();
  const child = spawn(command, [...prefixArgs, ...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs ?? 180_000);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearTimeout(timer));
  // Helpers the CLI left behind (shells, sandboxes) would hold the pipes open.
  killGroup(child);
  await new Promise<void>((resolve) => {
    if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) return resolve();
    const grace = setTimeout(resolve, 2000);
    child.once('close', () => {
      clearTimeout(grace);
      resolve();
    });
  });
  return { ...exit, timedOut, durationMs: Math.round(performance.now() - started), stdout, stderr };
}

/** A run's outcome for assertion messages: exit, duration, and the tails of stdout and stderr. */
export function describeRun(run: CliRun, sink?: SinkProxy): string {
  const tail = (text: string) => (text.length > 4000 ? `…${text.slice(-4000)}` : text);
  return [
    `exit ${run.code ?? run.signal}${run.timedOut ? ' (timed out, process group killed)' : ''} after ${run.durationMs} ms`,
    `--- stdout\n${tail(run.stdout)}`,
    `--- stderr\n${tail(run.stderr)}`,
    sink ? `--- side traffic refused: ${sink.seen.join(', ') || 'none'}` : '',
  ].join('\n');
}
