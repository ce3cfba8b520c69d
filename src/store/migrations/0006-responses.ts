import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Stored Responses API responses (`store: true`, `previous_response_id`): one row per response,
 * scoped to the key that created it. A response llmux rendered keeps its Response object and the
 * input items of its turn as JSON text, with the id of the response it followed; one passed
 * through to a provider that keeps it itself (OpenAI) keeps only the provider's name. Rows expire
 * (`responses.retentionDays`), hence the index for the purge.
 */
export const responsesMigration: StoreMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('responses')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('previous_response_id', 'text')
      .addColumn('provider', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('expires_at', 'bigint', (column) => column.notNull())
      .addColumn('response', 'text')
      .addColumn('input_items', 'text')
      .execute();
    await db.schema.createIndex('responses_expires_at_idx').on('responses').column('expires_at').execute();
  },
};
