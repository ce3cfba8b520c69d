import type { CreateTableBuilder, Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * Tenancy and metering: the request log gains the key's id, its team and the cost in integer
 * micro-USD (replacing 0003's `cost_usd`, which was always null since nothing was priced), with
 * indexes for usage and spend by key or team over time; managed keys and teams get their tables.
 */
export const tenancyMigration: StoreMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // SQLite alters one column per statement.
    await db.schema.alterTable('request_log').addColumn('key_id', 'text').execute();
    await db.schema.alterTable('request_log').addColumn('team', 'text').execute();
    await db.schema.alterTable('request_log').addColumn('cost_micros', 'bigint').execute();
    await db.schema.alterTable('request_log').dropColumn('cost_usd').execute();
    await db.schema
      .createIndex('request_log_key_id_timestamp_idx')
      .on('request_log')
      .columns(['key_id', 'timestamp'])
      .execute();
    await db.schema
      .createIndex('request_log_team_timestamp_idx')
      .on('request_log')
      .columns(['team', 'timestamp'])
      .execute();

    await addLimitColumns(
      db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('prefix', 'text', (column) => column.notNull())
        .addColumn('hash', 'text', (column) => column.notNull().unique())
        .addColumn('team', 'text')
        .addColumn('models', 'text', (column) => column.notNull()),
    )
      .addColumn('expires_at', 'bigint')
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_team_idx').on('api_keys').column('team').execute();
    await db.schema.createIndex('api_keys_created_at_idx').on('api_keys').columns(['created_at', 'id']).execute();

    await addLimitColumns(
      db.schema
        .createTable('teams')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('models', 'text', (column) => column.notNull()),
    )
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
  },
};

function addLimitColumns<TableName extends string, ColumnName extends string>(
  builder: CreateTableBuilder<TableName, ColumnName>,
): CreateTableBuilder<TableName, ColumnName> {
  return builder
    .addColumn('rpm', 'integer')
    .addColumn('tpm', 'bigint')
    .addColumn('max_concurrent', 'integer')
    .addColumn('budget_micros', 'bigint')
    .addColumn('budget_period', 'text');
}
