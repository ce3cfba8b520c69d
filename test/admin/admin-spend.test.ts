/** GET /admin/keys/{id} and /admin/teams/{name} show the spend this period from the Limiter's budgetStatus. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from '../../src/admin/register-admin.ts';
import { KeyDirectory } from '../../src/policy/key-directory.ts';
import { MemoryLimiter } from '../../src/policy/limits/memory-limiter.ts';
import { LocalBus } from '../../src/store/local-bus.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/types.ts';
import { makeRequestLogRecord } from '../support/store/store-test-records.ts';

const ADMIN = 'admin-key-for-spend-tests';
const NOW = Date.UTC(2026, 4, 20, 12);

describe('admin API: spend this period', () => {
  let dir: string;
  let store: Store;
  let server: FastifyInstance;
  let directory: KeyDirectory;
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await server.inject({
      method,
      url,
      headers: { authorization: `Bearer ${ADMIN}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: response.json() };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmux-spend-'));
    store = await openStore({ sqlite: join(dir, 'llmux.db') });
    directory = new KeyDirectory([], [], { tenancy: store.tenancy, bus: new LocalBus(), refreshIntervalMs: 0 });
    await directory.start();
    const limiter = new MemoryLimiter({ spendSource: (subject, since) => store.spentSince(subject, since) });
    server = Fastify();
    registerAdminRoutes(server, { adminKey: ADMIN, store, directory, limiter, now: () => NOW });
    await server.ready();
  });
  after(async () => {
    await server.close();
    await directory.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows spent, remaining and the reset time of the key and its team', async () => {
    assert.equal((await call('POST', '/admin/teams', { name: 'payers', budget: { usd: 100 } })).status, 201, 'team');
    const key = (
      await call('POST', '/admin/keys', { name: 'spender', team: 'payers', budget: { usd: 10, period: 'day' } })
    ).json;
    const spent = (micros: number, at: number, index: number) =>
      makeRequestLogRecord(index, { keyId: key.id, team: 'payers', timestamp: at, costMicros: micros });
    store.requestLog.record(spent(2_500_000, NOW - 3600_000, 1));
    store.requestLog.record(spent(1_000_000, NOW - 2 * 86_400_000, 2));
    await store.requestLog.flush();
    const shown = await call('GET', `/admin/keys/${key.id}`);
    assert.equal(shown.status, 200, `shown: ${JSON.stringify(shown.json)}`);
    assert.equal(shown.json.spend.spentUsd, 2.5, "only today's spend counts against a daily budget");
    assert.equal(shown.json.spend.remainingUsd, 7.5, 'remaining');
    assert.equal(shown.json.spend.resetsAt, '2026-05-21T00:00:00.000Z', 'resets at the next UTC midnight');
    assert.equal(shown.json.teamSpend.spentUsd, 3.5, "the team's month so far");
    const team = await call('GET', '/admin/teams/payers');
    assert.equal(team.json.spend.remainingUsd, 96.5, "the team's remaining budget");

    // The list carries each key's spend and last use, so the console needs no request per key.
    const listed = (await call('GET', '/admin/keys?limit=1000')).json.data.find(
      (entry: { id: string }) => entry.id === key.id,
    );
    assert.equal(listed?.spend?.spentUsd, 2.5, "the list shows today's spend");
    assert.equal(listed?.lastUsedAt, new Date(NOW - 3600_000).toISOString(), 'the newest request of the key');
  });
});
