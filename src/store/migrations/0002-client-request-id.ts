import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/** `client_request_id`: the caller's own `x-request-id`, kept apart from llmux's server-side `request_id`. */
export const clientRequestIdMigration: StoreMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('request_log').addColumn('client_request_id', 'text').execute();
  },
};
