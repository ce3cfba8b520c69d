import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuplicateRecordError, TeamInUseError } from '../../../src/store/store-errors.ts';
import type { Store } from '../../../src/store/types.ts';
import { makeManagedKey, makeManagedTeam, TENANCY_EPOCH } from './tenancy-test-records.ts';

/** Managed keys and teams (`Store.tenancy`), registered inside the store contract's describe. */
export function registerTenancyContract(open: () => Promise<Store>): void {
  const withStore = (body: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await body(store);
    } finally {
      await store.close();
    }
  };

  test(
    'tenancy: a key round-trips every field; unknown ids read undefined',
    withStore(async ({ tenancy }) => {
      const full = makeManagedKey(1, {
        expiresAt: 1_798_761_600_000,
        budgetMicros: 9_000_000_000_000, // beyond 32 bits
        metadata: { nested: { list: [1, 'two', null], flag: true }, 'clé 🚀': 'é' },
        budgetPeriod: 'total',
      });
      const bare = makeManagedKey(2, {
        team: null,
        models: [],
        rpm: null,
        tpm: null,
        maxConcurrent: null,
        budgetMicros: null,
        budgetPeriod: null,
        metadata: null,
      });
      await tenancy.createKey(full);
      await tenancy.createKey(bare);
      assert.deepEqual(await tenancy.getKey(full.id), full, 'every field of a full key reads back');
      assert.deepEqual(await tenancy.getKey(bare.id), bare, 'nulls and empty lists read back');
      assert.equal(await tenancy.getKey('key_missing'), undefined, 'an unknown id reads undefined');
      const read = await tenancy.getKey(full.id);
      assert.ok(typeof read?.budgetMicros === 'number' && typeof read.createdAt === 'number', 'bigints are numbers');
    }),
  );

  test(
    'tenancy: a hash or id taken twice is refused with DuplicateRecordError',
    withStore(async ({ tenancy }) => {
      await tenancy.createKey(makeManagedKey(1));
      await assert.rejects(
        tenancy.createKey(makeManagedKey(2, { hash: makeManagedKey(1).hash })),
        DuplicateRecordError,
      );
      await assert.rejects(tenancy.createKey(makeManagedKey(3, { id: makeManagedKey(1).id })), DuplicateRecordError);
      await tenancy.createKey(makeManagedKey(4));
      await assert.rejects(
        tenancy.updateKey(makeManagedKey(4).id, { hash: makeManagedKey(1).hash }, TENANCY_EPOCH + 50),
        DuplicateRecordError,
        'a rotation onto a hash in use is refused',
      );
      await tenancy.createTeam(makeManagedTeam('research', 1));
      await assert.rejects(tenancy.createTeam(makeManagedTeam('research', 2)), DuplicateRecordError);
      const { keys } = await tenancy.listKeys({ includeRevoked: true });
      assert.deepEqual(
        keys.map((key) => key.id),
        ['key_0001', 'key_0004'],
        'refused writes left nothing behind',
      );
    }),
  );

  test(
    'tenancy: listKeys pages in creation order with a total; filters by team; revoked only when asked',
    withStore(async ({ tenancy }) => {
      // Created out of order: the listing follows createdAt, not insertion.
      for (const index of [3, 1, 5, 2, 4, 6, 7]) {
        await tenancy.createKey(makeManagedKey(index, { team: index % 2 === 0 ? 'ops' : 'research' }));
      }
      await tenancy.revokeKey('key_0005', TENANCY_EPOCH + 100);
      const ids = (keys: { id: string }[]) => keys.map((key) => key.id);
      const first = await tenancy.listKeys({ limit: 2 });
      assert.deepEqual(ids(first.keys), ['key_0001', 'key_0002'], 'first page, oldest first');
      assert.equal(first.total, 6, 'total counts every live key, not the page');
      const third = await tenancy.listKeys({ limit: 2, offset: 4 });
      assert.deepEqual(ids(third.keys), ['key_0006', 'key_0007'], 'the revoked key_0005 is skipped');
      const withRevoked = await tenancy.listKeys({ limit: 3, offset: 3, includeRevoked: true });
      assert.deepEqual(ids(withRevoked.keys), ['key_0004', 'key_0005', 'key_0006']);
      assert.equal(withRevoked.total, 7);
      const research = await tenancy.listKeys({ team: 'research' });
      assert.deepEqual(ids(research.keys), ['key_0001', 'key_0003', 'key_0007']);
      assert.equal(research.total, 3);
      assert.deepEqual(ids(await tenancy.liveKeys()), [
        'key_0001',
        'key_0002',
        'key_0003',
        'key_0004',
        'key_0006',
        'key_0007',
      ]);
    }),
  );

  test(
    'tenancy: updateKey applies the patch, bumps updatedAt and returns the record',
    withStore(async ({ tenancy }) => {
      const original = makeManagedKey(1);
      await tenancy.createKey(original);
      const now = TENANCY_EPOCH + 1000;
      const updated = await tenancy.updateKey(
        original.id,
        { name: 'renamed', rpm: null, models: ['x'], team: null },
        now,
      );
      const expected = { ...original, name: 'renamed', rpm: null, models: ['x'], team: null, updatedAt: now };
      assert.deepEqual(updated, expected, 'the returned record has the patch applied');
      assert.deepEqual(await tenancy.getKey(original.id), expected, 'and so does the stored one');
      const rotated = await tenancy.updateKey(original.id, { hash: 'f'.repeat(64), prefix: 'sk-llmux-new' }, now + 1);
      assert.equal(rotated?.hash, 'f'.repeat(64), 'a rotation replaces the hash, same id');
      assert.equal(rotated?.name, 'renamed', 'fields outside the patch are kept');
      assert.equal(await tenancy.updateKey('key_missing', { name: 'x' }, now), undefined, 'unknown id');
    }),
  );

  test(
    'tenancy: revokeKey sets revokedAt once and returns the record',
    withStore(async ({ tenancy }) => {
      await tenancy.createKey(makeManagedKey(1));
      const revoked = await tenancy.revokeKey('key_0001', TENANCY_EPOCH + 10);
      assert.equal(revoked?.revokedAt, TENANCY_EPOCH + 10, 'revokedAt is set');
      assert.equal(revoked?.updatedAt, TENANCY_EPOCH + 10, 'updatedAt is bumped');
      const again = await tenancy.revokeKey('key_0001', TENANCY_EPOCH + 20);
      assert.equal(again?.revokedAt, TENANCY_EPOCH + 10, 'a second revocation keeps the first time');
      assert.equal(await tenancy.revokeKey('key_missing', TENANCY_EPOCH), undefined, 'unknown id');
      assert.deepEqual(await tenancy.liveKeys(), [], 'a revoked key is not live');
    }),
  );

  test(
    'tenancy: teams round-trip, page, update; delete is refused while live keys belong to the team',
    withStore(async ({ tenancy }) => {
      const research = makeManagedTeam('research', 1, { metadata: { cost_center: 42 } });
      await tenancy.createTeam(makeManagedTeam('ops', 2));
      await tenancy.createTeam(research);
      await tenancy.createTeam(makeManagedTeam('sales', 3));
      assert.deepEqual(await tenancy.getTeam('research'), research, 'every field reads back');
      assert.equal(await tenancy.getTeam('nobody'), undefined);
      const page = await tenancy.listTeams({ limit: 2, offset: 1 });
      assert.deepEqual(
        page.teams.map((team) => team.name),
        ['ops', 'sales'],
        'creation order, offset 1',
      );
      assert.equal(page.total, 3);
      const updated = await tenancy.updateTeam('ops', { budgetMicros: null, tpm: 5 }, TENANCY_EPOCH + 99);
      assert.deepEqual(updated, {
        ...makeManagedTeam('ops', 2),
        budgetMicros: null,
        tpm: 5,
        updatedAt: TENANCY_EPOCH + 99,
      });
      assert.equal(await tenancy.updateTeam('nobody', { tpm: 1 }, TENANCY_EPOCH), undefined);

      await tenancy.createKey(makeManagedKey(1, { team: 'research' }));
      await tenancy.createKey(makeManagedKey(2, { team: 'research', revokedAt: TENANCY_EPOCH }));
      await assert.rejects(tenancy.deleteTeam('research'), (error: unknown) => {
        assert.ok(error instanceof TeamInUseError, 'a TeamInUseError');
        assert.match(error.message, /live key/, 'the message says live keys still belong to it');
        assert.equal(error.liveKeys, 1, 'the revoked key does not count');
        return true;
      });
      assert.ok(await tenancy.getTeam('research'), 'the refused team is still there');
      await tenancy.revokeKey('key_0001', TENANCY_EPOCH + 5);
      assert.equal(await tenancy.deleteTeam('research'), true, 'deleted once its keys are revoked');
      assert.equal(await tenancy.getTeam('research'), undefined);
      assert.equal(await tenancy.deleteTeam('research'), false, 'deleting a missing team answers false');
    }),
  );
}
