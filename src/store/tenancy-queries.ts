import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database.ts';
import { failOnDuplicate, TeamInUseError } from './store-errors.ts';
import { fromApiKeyRow, fromTeamRow, toApiKeyRow, toApiKeyUpdate, toTeamRow, toTeamUpdate } from './tenancy-rows.ts';
import type { KeyListQuery, ManagedKeyRecord, PageQuery, TenancyStore } from './types.ts';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** Managed keys and teams on either dialect (the same Kysely queries). */
export function createTenancyStore(db: Kysely<StoreDatabase>): TenancyStore {
  const getKey = async (id: string): Promise<ManagedKeyRecord | undefined> => {
    const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromApiKeyRow(row);
  };

  return {
    async createKey(key) {
      await failOnDuplicate(`a key with id "${key.id}" or the same secret`, () =>
        db.insertInto('api_keys').values(toApiKeyRow(key)).execute(),
      );
    },
    getKey,
    async listKeys(query: KeyListQuery) {
      let select = db.selectFrom('api_keys');
      if (query.team !== undefined) select = select.where('team', '=', query.team);
      if (query.includeRevoked !== true) select = select.where('revoked_at', 'is', null);
      const [rows, counted] = await Promise.all([
        page(select.selectAll().orderBy('created_at').orderBy('id'), query).execute(),
        select.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { keys: rows.map(fromApiKeyRow), total: Number(counted.total) };
    },
    async liveKeys() {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('revoked_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(fromApiKeyRow);
    },
    async updateKey(id, patch, now) {
      const row = await failOnDuplicate('a key with the same secret', () =>
        db
          .updateTable('api_keys')
          .set(toApiKeyUpdate(patch, now))
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      );
      return row && fromApiKeyRow(row);
    },
    async revokeKey(id, now) {
      const row = await db
        .updateTable('api_keys')
        .set({ revoked_at: now, updated_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      // Already revoked (or missing): the first revocation stands.
      return row ? fromApiKeyRow(row) : getKey(id);
    },
    async createTeam(team) {
      await failOnDuplicate(`team "${team.name}"`, () => db.insertInto('teams').values(toTeamRow(team)).execute());
    },
    async getTeam(name) {
      const row = await db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
      return row && fromTeamRow(row);
    },
    async listTeams(query: PageQuery) {
      const [rows, counted] = await Promise.all([
        page(db.selectFrom('teams').selectAll().orderBy('created_at').orderBy('name'), query).execute(),
        db
          .selectFrom('teams')
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .executeTakeFirstOrThrow(),
      ]);
      return { teams: rows.map(fromTeamRow), total: Number(counted.total) };
    },
    async updateTeam(name, patch, now) {
      const row = await db
        .updateTable('teams')
        .set(toTeamUpdate(patch, now))
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row && fromTeamRow(row);
    },
    deleteTeam: (name) =>
      db.transaction().execute(async (transaction) => {
        const live = await transaction
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('team', '=', name)
          .where('revoked_at', 'is', null)
          .executeTakeFirstOrThrow();
        if (Number(live.count) > 0) throw new TeamInUseError(name, Number(live.count));
        const result = await transaction.deleteFrom('teams').where('name', '=', name).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      }),
  };
}

function page<Query extends { limit(limit: number): Query; offset(offset: number): Query }>(
  select: Query,
  query: PageQuery,
): Query {
  const limit = clamp(query.limit, DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT);
  const offset = clamp(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
  return select.limit(limit).offset(offset);
}

function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(Math.floor(value), min), max);
}
