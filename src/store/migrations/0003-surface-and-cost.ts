import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/** `surface` (the inbound API) and `cost_usd` (null until pricing is known). */
export const surfaceAndCostMigration: StoreMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('request_log').addColumn('surface', 'text').execute();
    await db.schema.alterTable('request_log').addColumn('cost_usd', 'double precision').execute();
  },
};
