import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { requestLogMigration } from './0001-request-log.ts';
import { clientRequestIdMigration } from './0002-client-request-id.ts';
import { surfaceAndCostMigration } from './0003-surface-and-cost.ts';
import { tenancyMigration } from './0004-tenancy.ts';
import { requestDetailMigration } from './0005-request-detail.ts';
import { responsesMigration } from './0006-responses.ts';
import type { SqlDialectName, StoreMigration } from './store-migration.ts';

export type { SqlDialectName, StoreMigration } from './store-migration.ts';

/**
 * Every migration, in order. Append new ones (`0002-keys`, …); never rename, reorder or edit a
 * released one. They are imported statically so that a bundled build still has them.
 */
export const STORE_MIGRATIONS: ReadonlyArray<readonly [name: string, migration: StoreMigration]> = [
  ['0001-request-log', requestLogMigration],
  ['0002-client-request-id', clientRequestIdMigration],
  ['0003-surface-and-cost', surfaceAndCostMigration],
  ['0004-tenancy', tenancyMigration],
  ['0005-request-detail', requestDetailMigration],
  ['0006-responses', responsesMigration],
];

export class StoreMigrationProvider implements MigrationProvider {
  readonly #dialect: SqlDialectName;

  constructor(dialect: SqlDialectName) {
    this.#dialect = dialect;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const dialect = this.#dialect;
    const migrations: Record<string, Migration> = {};
    for (const [name, migration] of STORE_MIGRATIONS) {
      migrations[name] = { up: (db) => migration.up(db, dialect) };
    }
    return migrations;
  }
}

export interface RunMigrationsOptions {
  dialect: SqlDialectName;
  /** Postgres schema holding the migration tables (Kysely otherwise matches them in any schema). */
  migrationTableSchema?: string;
}

/** Applies pending migrations; returns the names applied. Throws if one fails. */
export async function runMigrations<Database>(db: Kysely<Database>, options: RunMigrationsOptions): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StoreMigrationProvider(options.dialect),
    ...(options.migrationTableSchema === undefined ? {} : { migrationTableSchema: options.migrationTableSchema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const where = failed ? ` (migration ${failed.migrationName})` : '';
    throw new Error(`store migration failed${where}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
