/**
 * A real `llmux serve` child process on a free port, for tests that signal or kill it, and the
 * temp data directory (config and SQLite file) it runs on. The data directory outlives the process,
 * so a test can restart llmux on the same store.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LlmuxChild {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  exit: Promise<ChildExit>;
  /** stdout: the JSON log lines, as received. */
  logs: string[];
  /** The log lines that parsed as JSON objects. */
  entries: Array<Record<string, unknown>>;
  stderr(): string;
  /** Log lines and stderr, for assertion messages. */
  output(): string;
  alive(): boolean;
  /** Resident set size, from /proc. */
  rssMb(): number;
  /**
   * Sends `signal` (default SIGKILL) if the process still runs and waits for the exit; after
   * `timeoutMs` it SIGKILLs the process and fails.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ChildExit>;
}

export interface LlmuxChildOptions {
  /** Extra environment variables (LLMUX_LOG_LEVEL is `info` unless given). */
  env?: Record<string, string>;
  /** How long to wait for the "llmux listening" line (default 60 s). */
  startTimeoutMs?: number;
}

const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** Most log lines (and stderr chunks) kept: a runaway logger must not exhaust the test process. */
const MAX_LOG_LINES = 20_000;

/** Starts `llmux serve --config <configPath> --port 0` and waits for its "llmux listening" line. */
export async function startLlmuxChild(configPath: string, options: LlmuxChildOptions = {}): Promise<LlmuxChild> {
  const child = spawn(process.execPath, ['bin/llmux.js', 'serve', '--config', configPath, '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LLMUX_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const logs: string[] = [];
  const entries: Array<Record<string, unknown>> = [];
  const stderrChunks: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderrChunks.length < MAX_LOG_LINES) stderrChunks.push(chunk.toString());
  });
  const stderr = () => stderrChunks.join('');
  const output = () => `${logs.join('\n')}\n${stderr()}`;
  const alive = () => child.exitCode === null && child.signalCode === null;

  const address = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`llmux did not start:\n${output()}`)),
      options.startTimeoutMs ?? 60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (logs.length >= MAX_LOG_LINES) continue;
        logs.push(line);
        const entry = parseLogLine(line);
        if (!entry) continue;
        entries.push(entry);
        if (entry.msg === 'llmux listening' && typeof entry.address === 'string') {
          clearTimeout(timer);
          resolve(entry.address);
        }
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`llmux exited before listening:\n${output()}`));
    });
  });

  const stop = async (signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 15_000): Promise<ChildExit> => {
    if (alive()) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (result !== 'timeout') return result;
    child.kill('SIGKILL');
    await exit;
    assert.fail(`llmux did not exit within ${timeoutMs} ms of ${signal}`);
  };

  try {
    const url = (await address).replace('localhost', '127.0.0.1');
    const pid = child.pid ?? 0;
    return {
      url,
      port: Number(new URL(url).port),
      pid,
      child,
      exit,
      logs,
      entries,
      stderr,
      output,
      alive,
      rssMb: () => readRssMb(pid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  assert.ok(match?.[1], `VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

export interface DataDir {
  dir: string;
  configPath: string;
  dbPath: string;
  /** Removes the directory and everything in it. */
  remove(): void;
}

/** A temp directory holding `llmux.yaml`, written from `yaml` given the SQLite path in the same directory. */
export function writeDataDir(prefix: string, yaml: (dbPath: string) => string): DataDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dbPath = join(dir, 'llmux.db');
  const configPath = join(dir, 'llmux.yaml');
  writeFileSync(configPath, yaml(dbPath));
  return { dir, configPath, dbPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The `providers`, `models` and `keys` sections of a small config: the model `smart` on one
 * OpenAI-compatible upstream, and one client key.
 */
export function oneUpstreamYaml(upstreamUrl: string, client: { name: string; key: string }): string {
  return `providers:
  up: { type: openai-compatible, baseUrl: "${upstreamUrl}/v1" }
models:
  - name: smart
    deployments: [{ provider: up, model: up-model }]
keys:
  - { name: ${client.name}, key: ${client.key} }
`;
}

export interface RequestLogRow {
  request_id: string;
  status: number;
  key_name: string | null;
  public_model: string | null;
  error_code: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  [column: string]: unknown;
}

/** The request log of a SQLite store (read-only), best read once the process has exited. */
export function readRequestLog(dbPath: string): RequestLogRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM request_log ORDER BY id').all() as RequestLogRow[];
  } finally {
    db.close();
  }
}

/** Resolves once a new TCP connection to `port` is refused (polls; fails after `timeoutMs`). */
export async function waitUntilRefused(port: number, timeoutMs = 2000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    await sleep(20);
  }
  assert.fail(`port ${port} still accepts connections`);
}
