import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * The request detail: `attempt_log`, each upstream attempt as a JSON array (text on both dialects),
 * and an index for the console's request log filtered by model, newest first.
 */
export const requestDetailMigration: StoreMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('request_log').addColumn('attempt_log', 'text').execute();
    await db.schema
      .createIndex('request_log_public_model_timestamp_idx')
      .on('request_log')
      .columns(['public_model', 'timestamp'])
      .execute();
  },
};
