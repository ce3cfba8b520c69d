import type { Kysely } from 'kysely';
import { addIdentityColumn } from './identity-column.ts';
import type { SqlDialectName, StoreMigration } from './store-migration.ts';

/** The request log: one row per request served. */
export const requestLogMigration: StoreMigration = {
  async up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
    await addIdentityColumn(db.schema.createTable('request_log'), dialect)
      .addColumn('timestamp', 'bigint', (column) => column.notNull())
      .addColumn('request_id', 'text', (column) => column.notNull())
      .addColumn('key_name', 'text')
      .addColumn('public_model', 'text')
      .addColumn('provider', 'text')
      .addColumn('upstream_model', 'text')
      .addColumn('status', 'integer', (column) => column.notNull())
      .addColumn('latency_ms', 'integer', (column) => column.notNull())
      .addColumn('ttft_ms', 'integer')
      .addColumn('stream', 'integer', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull())
      .addColumn('input_tokens', 'bigint')
      .addColumn('output_tokens', 'bigint')
      .addColumn('cached_input_tokens', 'bigint')
      .addColumn('cache_write_tokens', 'bigint')
      .addColumn('reasoning_tokens', 'bigint')
      .addColumn('usage_estimated', 'integer', (column) => column.notNull())
      .addColumn('error_code', 'text')
      .addColumn('fallback_models', 'text')
      .execute();
    await db.schema.createIndex('request_log_timestamp_idx').on('request_log').column('timestamp').execute();
    await db.schema
      .createIndex('request_log_key_name_timestamp_idx')
      .on('request_log')
      .columns(['key_name', 'timestamp'])
      .execute();
    await db.schema.createIndex('request_log_request_id_idx').on('request_log').column('request_id').execute();
  },
};
