import { type Kysely, type Selectable, sql } from 'kysely';
import type { StoreDatabase } from './database.ts';
import type { ResponseSave, ResponseStore, StoredResponseRecord } from './types.ts';

/** The `responses` table (migration 0006); times are epoch-ms bigints, JSON is text. */
export interface ResponsesTable {
  id: string;
  key_id: string;
  previous_response_id: string | null;
  provider: string | null;
  created_at: number;
  expires_at: number;
  response: string | null;
  input_items: string | null;
}

type ResponsesDatabase = StoreDatabase & { responses: ResponsesTable };

const DEFAULT_PURGE_BATCH = 500;

/** Stored responses on either dialect (the same Kysely queries; the chain is one recursive query). */
export function createResponseStore(base: Kysely<StoreDatabase>): ResponseStore {
  const db = base.withTables<{ responses: ResponsesTable }>();
  return {
    save: (record, extendIds = []) => saveAll(db, [{ record, extendIds }]),
    saveAll: (entries) => saveAll(db, entries),
    async get(id) {
      const row = await db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },
    chain: (id, maxDepth) => selectChain(db, id, maxDepth),
    async delete(id, keyId) {
      const result = await db
        .deleteFrom('responses')
        .where('id', '=', id)
        .where('key_id', '=', keyId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async purgeExpired(now, batchSize = DEFAULT_PURGE_BATCH) {
      const size = Math.max(1, Math.floor(batchSize));
      let deleted = 0;
      for (;;) {
        const batch = db.selectFrom('responses').select('id').where('expires_at', '<=', now).limit(size);
        const result = await db.deleteFrom('responses').where('id', 'in', batch).executeTakeFirst();
        const count = Number(result.numDeletedRows);
        deleted += count;
        if (count < size) return deleted;
      }
    },
  };
}

/** Rows per INSERT: 8 columns each, well under SQLite's and Postgres's bound-parameter limits. */
const INSERT_CHUNK = 200;

/** One transaction: the rows, then the expiry moves of the conversations they continue. */
async function saveAll(db: Kysely<ResponsesDatabase>, entries: readonly ResponseSave[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => toRow(entry.record));
  const write = async (executor: Kysely<ResponsesDatabase>) => {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await executor
        .insertInto('responses')
        .values(rows.slice(start, start + INSERT_CHUNK))
        // An id seen again (a provider's id recorded twice) keeps its first row, and its batch goes in.
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    }
    for (const { record, extendIds = [] } of entries) {
      if (extendIds.length === 0) continue;
      await executor
        .updateTable('responses')
        .set({ expires_at: record.expiresAt })
        .where('id', 'in', [...extendIds])
        .where('key_id', '=', record.keyId)
        .where('expires_at', '<', record.expiresAt)
        .execute();
    }
  };
  if (rows.length === 1 && (entries[0]?.extendIds ?? []).length === 0) return write(db);
  await db.transaction().execute(write);
}

/** Walks `previous_response_id` from `id` back, in one query; oldest first. */
async function selectChain(
  db: Kysely<ResponsesDatabase>,
  id: string,
  maxDepth: number,
): Promise<StoredResponseRecord[]> {
  const depth = Math.max(1, Math.floor(maxDepth));
  const result = await sql<Selectable<ResponsesTable> & { depth: number }>`
    with recursive chain(id, depth) as (
      select cast(${id} as text), cast(0 as integer)
      union all
      select r.previous_response_id, chain.depth + 1
      from responses r join chain on r.id = chain.id
      where r.previous_response_id is not null and chain.depth + 1 < ${depth}
    )
    select responses.*, chain.depth as depth
    from chain join responses on responses.id = chain.id
    order by chain.depth desc`.execute(db);
  return result.rows.map(fromRow);
}

function toRow(record: StoredResponseRecord): ResponsesTable {
  return {
    id: record.id,
    key_id: record.keyId,
    previous_response_id: record.previousResponseId,
    provider: record.provider,
    created_at: record.createdAt,
    expires_at: record.expiresAt,
    response: record.response,
    input_items: record.inputItems,
  };
}

function fromRow(row: Selectable<ResponsesTable>): StoredResponseRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    previousResponseId: row.previous_response_id,
    provider: row.provider,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    response: row.response,
    inputItems: row.input_items,
  };
}
