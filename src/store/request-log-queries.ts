import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database.ts';
import { fromRequestLogRow } from './request-log-rows.ts';
import type { RequestLogPage, RequestLogQuery, RequestLogRecord } from './types.ts';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;
/** Request ids are llmux's own (unique); a journal replayed twice could at worst repeat one. */
const MAX_ROWS_PER_REQUEST_ID = 16;
/** Rows deleted per statement when pruning. */
export const DEFAULT_PRUNE_BATCH = 5000;

/** Every column but `attempt_log` (a list does not show it; the request detail does). */
const LIST_COLUMNS = [
  'id',
  'timestamp',
  'request_id',
  'client_request_id',
  'key_name',
  'key_id',
  'team',
  'public_model',
  'provider',
  'upstream_model',
  'status',
  'latency_ms',
  'ttft_ms',
  'stream',
  'attempts',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'usage_estimated',
  'error_code',
  'fallback_models',
  'surface',
  'cost_micros',
] as const;

/** Newest first (timestamp, then insertion order), filtered by every field the query sets. */
export async function listRequestLog(db: Kysely<StoreDatabase>, query: RequestLogQuery): Promise<RequestLogRecord[]> {
  return (await listRequestLogPage(db, query)).records;
}

/** One page, newest first, and the cursor of the next (older) page when there is one. */
export async function listRequestLogPage(db: Kysely<StoreDatabase>, query: RequestLogQuery): Promise<RequestLogPage> {
  let select = db.selectFrom('request_log').select(LIST_COLUMNS);
  if (query.since !== undefined) select = select.where('timestamp', '>=', query.since);
  if (query.until !== undefined) select = select.where('timestamp', '<', query.until);
  if (query.keyName !== undefined) select = select.where('key_name', '=', query.keyName);
  if (query.keyId !== undefined) select = select.where('key_id', '=', query.keyId);
  if (query.team !== undefined) select = select.where('team', '=', query.team);
  if (query.publicModel !== undefined) select = select.where('public_model', '=', query.publicModel);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  const before = query.before;
  if (before !== undefined) {
    const { timestamp, id } = before;
    select =
      id === undefined
        ? select.where('timestamp', '<', timestamp)
        : select.where((eb) =>
            eb.or([eb('timestamp', '<', timestamp), eb.and([eb('timestamp', '=', timestamp), eb('id', '<', id)])]),
          );
  }
  const limit = clampLimit(query.limit);
  const rows = await select
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    records: page.map(fromRequestLogRow),
    next: rows.length > limit && last !== undefined ? { timestamp: Number(last.timestamp), id: Number(last.id) } : null,
  };
}

/** The newest row with this request id, with its attempts; undefined when there is none. */
export async function getRequestLog(
  db: Kysely<StoreDatabase>,
  requestId: string,
): Promise<RequestLogRecord | undefined> {
  // No ORDER BY: with one, Postgres may walk the timestamp index backwards instead of using request_id's.
  const rows = await db
    .selectFrom('request_log')
    .selectAll()
    .where('request_id', '=', requestId)
    .limit(MAX_ROWS_PER_REQUEST_ID)
    .execute();
  const newest = rows.reduce<(typeof rows)[number] | undefined>(
    (best, row) =>
      best === undefined ||
      Number(row.timestamp) > Number(best.timestamp) ||
      (Number(row.timestamp) === Number(best.timestamp) && Number(row.id) > Number(best.id))
        ? row
        : best,
    undefined,
  );
  return newest === undefined ? undefined : fromRequestLogRow(newest);
}

export async function pruneRequestLog(db: Kysely<StoreDatabase>, before: number, batchSize: number): Promise<number> {
  const size = Math.max(1, Math.floor(batchSize));
  let deleted = 0;
  for (;;) {
    const batch = db.selectFrom('request_log').select('id').where('timestamp', '<', before).limit(size);
    const result = await db.deleteFrom('request_log').where('id', 'in', batch).executeTakeFirst();
    const count = Number(result.numDeletedRows);
    deleted += count;
    if (count < size) return deleted;
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(Math.max(Math.floor(limit), 1), MAX_LIST_LIMIT);
}

/** Each key's newest request-log row: one backward seek of (key_id, timestamp) per key. */
export async function lastUsedAt(db: Kysely<StoreDatabase>, keyIds: readonly string[]): Promise<Map<string, number>> {
  const found = await Promise.all(
    [...new Set(keyIds)].map(async (keyId) => {
      const row = await db
        .selectFrom('request_log')
        .select('timestamp')
        .where('key_id', '=', keyId)
        .orderBy('timestamp', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : ([keyId, Number(row.timestamp)] as const);
    }),
  );
  return new Map(found.filter((entry) => entry !== undefined));
}
