/** `llmux keys|teams|usage` against a running llmux, through the admin API, output parsed from --json. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Command } from 'commander';
import type { CliIo } from '../../src/cli/admin-command-support.ts';
import { keysCommand } from '../../src/cli/key-commands.ts';
import { teamsCommand, usageCommand } from '../../src/cli/team-usage-commands.ts';
import { ADMIN_KEY, type AdminSetup, type AnyJson, startAdminApp, USER } from './admin-support.ts';

describe('CLI admin commands', () => {
  let setup: AdminSetup;
  before(async () => {
    setup = await startAdminApp();
  });
  after(async () => {
    await setup.close();
    process.exitCode = 0;
  });

  /** Runs one command in-process; returns what it printed. */
  async function run(build: (io: CliIo) => Command, args: string[]): Promise<{ out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = {
      out: (text) => {
        out += `${text}\n`;
      },
      err: (text) => {
        err += `${text}\n`;
      },
      env: { LLMUX_URL: setup.url, LLMUX_ADMIN_KEY: ADMIN_KEY },
    };
    await build(io).parseAsync(args, { from: 'user' });
    return { out, err };
  }
  const json = async (build: (io: CliIo) => Command, args: string[]): Promise<AnyJson> => {
    const { out, err } = await run(build, [...args, '--json']);
    assert.equal(err, '', `no error from ${args.join(' ')}`);
    return JSON.parse(out);
  };

  it('keys create → list → show → update → rotate → revoke', async () => {
    const created = await json(keysCommand, [
      'create',
      'cli-key',
      '--models',
      'demo,other',
      '--rpm',
      '30',
      '--budget',
      '5',
    ]);
    assert.match(created.key, /^sk-llmux-/, 'the secret, once');
    assert.deepEqual(created.budget, { usd: 5, period: 'month' }, 'budget');
    const ok = await setup.client(created.key).chat.completions.create({ model: 'demo', messages: USER });
    assert.ok(ok.choices.length > 0, 'the key works');
    const list = await json(keysCommand, ['list']);
    assert.ok(
      list.data.some((key: AnyJson) => key.id === created.id),
      'listed',
    );
    const shown = await json(keysCommand, ['show', created.id]);
    assert.equal(shown.rpm, 30, 'shown');
    const updated = await json(keysCommand, ['update', created.id, '--rpm', 'none', '--name', 'cli-key-2']);
    assert.equal(updated.rpm, null, '"none" clears a limit');
    assert.equal(updated.name, 'cli-key-2', 'renamed');
    const rotated = await json(keysCommand, ['rotate', created.id]);
    assert.equal(rotated.id, created.id, 'same id');
    const revoked = await json(keysCommand, ['revoke', created.id]);
    assert.ok(revoked.revokedAt, 'revoked');
    const table = await run(keysCommand, ['list', '--include-revoked']);
    assert.match(table.out, /^ID\s+NAME\s+PREFIX/m, 'a table for people');
    assert.match(table.out, /cli-key-2.*revoked/, 'with the status');
    assert.ok(!table.out.includes(rotated.key), 'never the secret');
  });

  it('teams create → show → update → delete, and usage by model', async () => {
    const team = await json(teamsCommand, [
      'create',
      'cli-team',
      '--models',
      '*',
      '--budget',
      '50',
      '--period',
      'week',
    ]);
    assert.deepEqual(team.budget, { usd: 50, period: 'week' }, 'created');
    assert.equal((await json(teamsCommand, ['update', 'cli-team', '--tpm', '5000'])).tpm, 5000, 'updated');
    assert.equal((await json(teamsCommand, ['show', 'cli-team'])).tpm, 5000, 'shown');
    const list = await json(teamsCommand, ['list']);
    assert.deepEqual(list.data.map((t: AnyJson) => t.name).sort(), ['cli-team', 'ops'], 'config and managed teams');
    assert.equal((await json(teamsCommand, ['delete', 'cli-team'])).deleted, true, 'deleted');

    const key = await json(keysCommand, ['create', 'cli-usage']);
    for (let i = 0; i < 2; i++) await setup.client(key.key).chat.completions.create({ model: 'demo', messages: USER });
    await setup.app.store.requestLog.flush();
    const usage = await json(usageCommand, ['--since', '7d', '--by', 'model', '--key', key.id]);
    assert.equal(usage.groupBy, 'model', 'grouped by model');
    assert.equal(usage.data.find((row: AnyJson) => row.group === 'demo')?.requests, 2, 'two requests on demo');
    const table = await run(usageCommand, ['--since', '1h', '--by', 'key']);
    assert.match(table.out, /GROUP\s+REQUESTS/, 'a table for people');
  });

  it('a wrong admin key or a bad option is reported with exit code 1', async () => {
    const wrong = await run(keysCommand, ['list', '--admin-key', 'llmux-admin-key-wrong']);
    assert.match(wrong.err, /401.*admin key/, 'the API error and a hint');
    assert.equal(process.exitCode, 1, 'exit code 1');
    process.exitCode = 0;
    const bad = await run(keysCommand, ['create', 'x', '--rpm', 'lots']);
    assert.match(bad.err, /--rpm: expected an integer/, 'names the option');
    process.exitCode = 0;
  });

  it('runs as `llmux keys list --json` in a child process', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'list', '--json'], {
      env: { ...process.env, LLMUX_URL: setup.url, LLMUX_ADMIN_KEY: ADMIN_KEY },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, 'exit code 0');
    const page = JSON.parse(out) as AnyJson;
    assert.ok(
      page.data.some((key: AnyJson) => key.id === 'static:all'),
      'the list, parsed from stdout',
    );
  });
});
