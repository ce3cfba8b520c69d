import type { Kysely } from 'kysely';

export type SqlDialectName = 'sqlite' | 'postgres';

/**
 * A forward-only schema migration. The same module runs on SQLite and Postgres; `dialect` is
 * there for the rare column that cannot be spelled the same way on both (identity keys).
 */
export interface StoreMigration {
  up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void>;
}
