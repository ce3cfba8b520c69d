import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalBus } from '../store/local-bus.ts';
import { openStore } from '../store/open-store.ts';
import type { ManagedKeyRecord, Store, TenancyStore } from '../store/types.ts';
import { KeyDirectory } from './key-directory.ts';
import { hashKeySecret, keyAllowsModel } from './key-ring.ts';

const NOW = Date.UTC(2026, 0, 15);

function managedKey(id: string, secret: string, fields: Partial<ManagedKeyRecord> = {}): ManagedKeyRecord {
  return {
    id,
    name: id,
    prefix: secret.slice(0, 12),
    hash: hashKeySecret(secret),
    team: null,
    models: ['*'],
    expiresAt: null,
    metadata: null,
    createdAt: NOW,
    updatedAt: NOW,
    revokedAt: null,
    rpm: null,
    tpm: null,
    maxConcurrent: null,
    budgetMicros: null,
    budgetPeriod: null,
    ...fields,
  };
}

/** Counts the store calls the directory makes (the hot path must make none). */
function counting(tenancy: TenancyStore): { tenancy: TenancyStore; calls: () => number } {
  let calls = 0;
  const counted = Object.fromEntries(
    Object.entries(tenancy).map(([name, method]) => [
      name,
      (...args: unknown[]) => {
        calls++;
        return (method as (...a: unknown[]) => unknown).apply(tenancy, args);
      },
    ]),
  ) as unknown as TenancyStore;
  return { tenancy: counted, calls: () => calls };
}

describe('KeyDirectory (SQLite store, local bus)', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmux-keydir-'));
    store = await openStore({ sqlite: join(dir, 'llmux.db') });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves static and managed keys from memory; unknown keys never reach the store', async () => {
    await store.tenancy.createKey(managedKey('key_managed1', 'sk-llmux-managed-secret-1'));
    const { tenancy, calls } = counting(store.tenancy);
    const directory = new KeyDirectory(
      [
        {
          name: 'app',
          key: 'sk-llmux-static-secret',
          models: ['gpt-*'],
          rpm: 60,
          budget: { usd: 25, period: 'month' },
        },
      ],
      [],
      { tenancy, bus: new LocalBus(), refreshIntervalMs: 0, now: () => NOW },
    );
    await directory.start();
    const loaded = calls();
    const app = await directory.authenticate('sk-llmux-static-secret');
    assert.equal(app?.id, 'static:app', 'a static key has the id static:<name>');
    assert.deepEqual(app?.limits, { rpm: 60, budget: { micros: 25_000_000, period: 'month' } }, 'limits in micro-USD');
    assert.equal((await directory.authenticate('sk-llmux-managed-secret-1'))?.id, 'key_managed1', 'a managed key');
    for (let i = 0; i < 1000; i++) await directory.authenticate(`sk-llmux-random-${i}`);
    assert.equal(calls(), loaded, 'authenticating (known or unknown keys) makes no store call');
    await directory.close();
  });

  it('refuses a revoked key at once on the replica that changed it, and on another when the notice arrives', async () => {
    await store.tenancy.createKey(managedKey('key_revoke1', 'sk-llmux-revoke-secret'));
    const bus = new LocalBus();
    const options = { tenancy: store.tenancy, bus, refreshIntervalMs: 0, now: () => NOW };
    const here = new KeyDirectory([], [], options);
    const there = new KeyDirectory([], [], options);
    await here.start();
    await there.start();
    assert.ok(await there.authenticate('sk-llmux-revoke-secret'), 'live on the other replica before');
    await store.tenancy.revokeKey('key_revoke1', NOW);
    await here.keyChanged('key_revoke1');
    assert.equal(await here.authenticate('sk-llmux-revoke-secret'), undefined, 'refused here once keyChanged resolves');
    await waitFor(async () => (await there.authenticate('sk-llmux-revoke-secret')) === undefined);
    await here.close();
    await there.close();
  });

  it('refuses expired keys by the injected clock', async () => {
    let now = NOW;
    await store.tenancy.createKey(managedKey('key_expiring', 'sk-llmux-expiring', { expiresAt: NOW + 1000 }));
    const directory = new KeyDirectory(
      [{ name: 'old', key: 'sk-llmux-static-expiring', models: ['*'], expiresAt: new Date(NOW + 1000).toISOString() }],
      [],
      { tenancy: store.tenancy, refreshIntervalMs: 0, now: () => now },
    );
    await directory.start();
    assert.ok(await directory.authenticate('sk-llmux-expiring'), 'valid before expiry');
    assert.ok(await directory.authenticate('sk-llmux-static-expiring'), 'static valid before expiry');
    now = NOW + 1000;
    assert.equal(await directory.authenticate('sk-llmux-expiring'), undefined, 'refused at expiresAt');
    assert.equal(await directory.authenticate('sk-llmux-static-expiring'), undefined, 'static refused at expiresAt');
    await directory.close();
  });

  it("gives keys their team, whose allow-list narrows the key's; team changes reach the keys", async () => {
    await store.tenancy.createTeam({
      name: 'research',
      models: ['gpt-*'],
      metadata: null,
      createdAt: NOW,
      updatedAt: NOW,
      rpm: 600,
      tpm: null,
      maxConcurrent: null,
      budgetMicros: 500_000_000,
      budgetPeriod: 'month',
    });
    await store.tenancy.createKey(managedKey('key_teamed', 'sk-llmux-teamed', { team: 'research' }));
    const directory = new KeyDirectory([], [{ name: 'ops', models: ['*'] }], {
      tenancy: store.tenancy,
      bus: new LocalBus(),
      refreshIntervalMs: 0,
    });
    await directory.start();
    const key = await directory.authenticate('sk-llmux-teamed');
    assert.equal(key?.team?.name, 'research', 'the key carries its team');
    assert.deepEqual(key?.team?.limits, { rpm: 600, budget: { micros: 500_000_000, period: 'month' } }, 'team limits');
    assert.ok(key && keyAllowsModel(key, 'gpt-4.1') && !keyAllowsModel(key, 'claude'), "the team's allow-list applies");
    await store.tenancy.updateTeam('research', { models: ['*'] }, NOW + 1);
    await directory.teamChanged('research');
    const after = await directory.authenticate('sk-llmux-teamed');
    assert.ok(after && keyAllowsModel(after, 'claude'), 'the team change reached the key');
    await directory.close();
  });

  it('the periodic reload catches a change whose notice was lost', async () => {
    await store.tenancy.createKey(managedKey('key_lost', 'sk-llmux-lost-notice'));
    const directory = new KeyDirectory([], [], { tenancy: store.tenancy, refreshIntervalMs: 50 });
    await directory.start();
    assert.ok(await directory.authenticate('sk-llmux-lost-notice'), 'live at start');
    await store.tenancy.revokeKey('key_lost', Date.now());
    await waitFor(async () => (await directory.authenticate('sk-llmux-lost-notice')) === undefined);
    await directory.close();
  });

  it('a config reload replaces the static keys', async () => {
    const directory = new KeyDirectory([{ name: 'a', key: 'sk-llmux-first-key', models: ['*'] }], [], {});
    await directory.start();
    assert.ok(await directory.authenticate('sk-llmux-first-key'), 'before the reload');
    directory.reloadConfig([{ name: 'b', key: 'sk-llmux-second-key', models: ['*'] }], []);
    assert.equal(await directory.authenticate('sk-llmux-first-key'), undefined, 'a removed key is refused');
    assert.equal((await directory.authenticate('sk-llmux-second-key'))?.name, 'b', 'an added key is served');
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
