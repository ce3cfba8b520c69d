/**
 * A real `llmux serve` child process on a free port, for tests that signal or kill it. The caller
 * owns the config file (and so the data directory, which outlives the process for restarts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export interface LlmuxChild {
  url: string;
  port: number;
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout (JSON log lines) and stderr, as received. */
  logs: string[];
  /** Parsed JSON log lines. */
  entries: Array<Record<string, unknown>>;
  /** SIGKILLs the process if it still runs, and waits for it. */
  stop(): Promise<void>;
}

const REPO_ROOT = join(import.meta.dirname, '..', '..');

export async function startLlmuxChild(configPath: string, startTimeoutMs = 60_000): Promise<LlmuxChild> {
  const child = spawn(process.execPath, ['bin/llmux.js', 'serve', '--config', configPath, '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LLMUX_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const logs: string[] = [];
  const entries: Array<Record<string, unknown>> = [];
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const address = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`llmux did not start:\n${logs.join('\n')}`)), startTimeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
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
      reject(new Error(`llmux exited before listening:\n${logs.join('\n')}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exit;
  };
  try {
    const url = (await address).replace('localhost', '127.0.0.1');
    return { url, port: Number(new URL(url).port), child, exit, logs, entries, stop };
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
