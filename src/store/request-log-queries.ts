import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database.ts';
import { fromRequestLogRow } from './request-log-rows.ts';
import type { RequestLogQuery, RequestLogRecord } from './types.ts';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;
/** Rows deleted per statement when pruning. */
export const DEFAULT_PRUNE_BATCH = 5000;

/** Newest first (timestamp, then insertion order), filtered by every field the query sets. */
export async function listRequestLog(db: Kysely<StoreDatabase>, query: RequestLogQuery): Promise<RequestLogRecord[]> {
  let select = db.selectFrom('request_log').selectAll();
  if (query.since !== undefined) select = select.where('timestamp', '>=', query.since);
  if (query.until !== undefined) select = select.where('timestamp', '<', query.until);
  if (query.keyName !== undefined) select = select.where('key_name', '=', query.keyName);
  if (query.keyId !== undefined) select = select.where('key_id', '=', query.keyId);
  if (query.team !== undefined) select = select.where('team', '=', query.team);
  if (query.publicModel !== undefined) select = select.where('public_model', '=', query.publicModel);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  const rows = await select.orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(clampLimit(query.limit)).execute();
  return rows.map(fromRequestLogRow);
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
