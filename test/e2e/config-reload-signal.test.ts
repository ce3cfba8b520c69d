/**
 * SIGHUP on a real `llmux serve` child process: the config file is read again and applied, the
 * process keeps running and keeps the request log rows written before; a broken file is rejected
 * with one log line per problem and the running config kept.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import {
  type LlmuxChild,
  oneUpstreamYaml,
  readRequestLog,
  startLlmuxChild,
  writeDataDir,
} from '../support/llmux-child.ts';
import { startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { answer } from './routing-support.ts';

const FIRST_KEY = 'sk-llmux-sighup-first';
const SECOND_KEY = 'sk-llmux-sighup-second';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function chat(llmux: LlmuxChild, key: string): Promise<{ status: number; requestId: string }> {
  const response = await request(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.body.text();
  return { status: response.statusCode, requestId: String(response.headers['x-request-id']) };
}

/** Resolves with the first log entry after `from` whose msg is `msg` (fails after 10 s). */
async function logged(llmux: LlmuxChild, msg: string, from: number): Promise<Record<string, unknown>> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const entry = llmux.entries.slice(from).find((candidate) => candidate.msg === msg);
    if (entry) return entry;
    await sleep(20);
  }
  assert.fail(`no "${msg}" log line:\n${llmux.output()}`);
}

describe('config reload on SIGHUP (child process)', () => {
  it('applies the new file, keeps running and keeps the rows logged before; a broken file is rejected', async () => {
    const sim = await startUpstreamSimulator({ default: answer('served') });
    cleanups.push(() => sim.close());
    const configYaml = (dbPath: string, key: string, extra = '') =>
      `store: { sqlite: ${JSON.stringify(dbPath)}, flushIntervalMs: 60000 }\n${extra}\n${oneUpstreamYaml(sim.url, { name: key === FIRST_KEY ? 'first' : 'second', key })}`;
    const data = writeDataDir('llmux-sighup-', (dbPath) => configYaml(dbPath, FIRST_KEY));
    cleanups.push(() => data.remove());
    const llmux = await startLlmuxChild(data.configPath);
    cleanups.push(() => llmux.stop());

    const before = await chat(llmux, FIRST_KEY);
    assert.equal(before.status, 200, 'the first key works before the reload');

    writeFileSync(data.configPath, configYaml(data.dbPath, SECOND_KEY, 'server: { bodyLimitMb: 1 }'));
    let from = llmux.entries.length;
    llmux.child.kill('SIGHUP');
    await logged(llmux, 'config reloaded: new requests use it, requests in flight finish on the old one', from);
    assert.ok(llmux.alive(), 'llmux is still running after SIGHUP');
    const warning = llmux.entries.slice(from).find((entry) => entry.level === 40);
    assert.match(String(warning?.msg), /server\.bodyLimitMb/, 'the setting that needs a restart is named');
    assert.equal((await chat(llmux, SECOND_KEY)).status, 200, 'the new key works');
    assert.equal((await chat(llmux, FIRST_KEY)).status, 401, 'the removed key is refused');

    writeFileSync(
      data.configPath,
      `${configYaml(data.dbPath, SECOND_KEY)}\nrouter: { cooldown: { nonsense: 1 } }\nunknownSection: {}\n`,
    );
    from = llmux.entries.length;
    llmux.child.kill('SIGHUP');
    await logged(llmux, 'config reload rejected: still serving with the config loaded before', from);
    assert.ok(llmux.alive(), 'llmux is still running after a rejected reload');
    const problems = llmux.entries
      .slice(from)
      .filter((entry) => String(entry.msg).startsWith('config reload rejected: ') && entry.problems === undefined);
    assert.ok(problems.length >= 2, `one line per problem:\n${llmux.output()}`);
    assert.ok(
      problems.every((entry) => entry.err === undefined && !String(entry.msg).includes('\n')),
      'problem lines are single lines without a stack',
    );
    assert.equal((await chat(llmux, SECOND_KEY)).status, 200, 'the running config still serves');

    const exit = await llmux.stop('SIGTERM');
    assert.equal(exit.code, 0, llmux.output());
    const rows = readRequestLog(data.dbPath);
    const first = rows.find((row) => row.request_id === before.requestId);
    assert.equal(first?.status, 200, 'the row of the request before the reload is in the log');
    assert.equal(rows.length, 4, `every request recorded: ${rows.map((row) => row.status).join(', ')}`);
  });
});
