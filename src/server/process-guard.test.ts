import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../../test/support/process-guard-child.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  port: number;
  stdout(): string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startChild(env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${stderr}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /PORT=(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}): ${stderr}`)));
  });
  return { process: child, port, stdout: () => stdout };
}

describe('process guard', () => {
  it('logs an uncaught exception and an unhandled rejection at fatal/error level and keeps serving', async () => {
    const child = await startChild();
    const url = `http://127.0.0.1:${child.port}`;
    assert.equal(await (await fetch(`${url}/throw`)).text(), 'alive');
    // Both log lines, not just the first: under load the second can lag behind.
    const logged = () => child.stdout().includes('boom from a timer') && child.stdout().includes('never handled');
    for (let i = 0; i < 100 && !logged(); i++) await sleep(20);
    assert.equal(await (await fetch(url)).text(), 'alive', 'still serving after the uncaught errors');
    assert.equal(child.process.exitCode, null, 'the process did not exit');
    const lines = child
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string; stack?: string } });
    const fatal = lines.find((line) => line.err?.message === 'boom from a timer');
    assert.ok(fatal, `the uncaught exception is logged: ${child.stdout()}`);
    assert.equal(fatal.level, 60, 'at fatal level');
    assert.match(fatal.err?.stack ?? '', /process-guard-child/, 'with its stack');
    const rejection = lines.find((line) => line.err?.message === 'rejected and never handled');
    assert.ok(rejection, `the unhandled rejection is logged: ${child.stdout()}`);
    assert.equal(rejection.level, 50, 'at error level');
  });

  it('without the guard the same child dies (the test exercises a real crash)', async () => {
    const child = await startChild({ NO_GUARD: '1' });
    const exited = once(child.process, 'exit');
    await fetch(`http://127.0.0.1:${child.port}/throw`).catch(() => undefined);
    const [code] = (await Promise.race([exited, sleep(5000).then(() => ['still running'])])) as [unknown];
    assert.notEqual(code, 'still running', 'the unguarded child exits');
    assert.notEqual(code, 0, 'with a failure code');
  });
});
