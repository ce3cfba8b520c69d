import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database.ts';
import { type RequestLogInsertRow, toRequestLogRow } from './request-log-rows.ts';
import type { RequestLogRecord } from './types.ts';

/** Rows per existence query and per insert (well under every driver's parameter limit). */
const REPLAY_CHUNK = 500;

export interface ReplayResult {
  replayed: number;
  alreadyStored: number;
  /** Parsed lines that are not request log records. */
  invalid: number;
}

/**
 * Writes the records a crashed process left in its journal. Idempotent: a record is skipped when
 * the store already has a row with its request id and timestamp (a batch committed just before
 * the crash, whose segment was not deleted yet), or when it appears twice in the journal.
 */
export async function replayJournalRecords(
  db: Kysely<StoreDatabase>,
  records: readonly unknown[],
  insert: (rows: RequestLogInsertRow[]) => Promise<void>,
): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: 0, alreadyStored: 0, invalid: 0 };
  const seen = new Set<string>();
  const rows: RequestLogInsertRow[] = [];
  for (const record of records) {
    if (!isRequestLogRecord(record)) {
      result.invalid++;
      continue;
    }
    const row = toRequestLogRow(withNullDefaults(record));
    const key = rowKey(row.request_id, row.timestamp);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  for (let start = 0; start < rows.length; start += REPLAY_CHUNK) {
    const chunk = rows.slice(start, start + REPLAY_CHUNK);
    const stored = await storedKeys(
      db,
      chunk.map((row) => row.request_id),
    );
    const missing = chunk.filter((row) => !stored.has(rowKey(row.request_id, row.timestamp)));
    if (missing.length > 0) await insert(missing);
    result.replayed += missing.length;
    result.alreadyStored += chunk.length - missing.length;
  }
  return result;
}

async function storedKeys(db: Kysely<StoreDatabase>, requestIds: string[]): Promise<Set<string>> {
  const found = await db
    .selectFrom('request_log')
    .select(['request_id', 'timestamp'])
    .where('request_id', 'in', [...new Set(requestIds)])
    .execute();
  return new Set(found.map((row) => rowKey(row.request_id, row.timestamp)));
}

function rowKey(requestId: string, timestamp: number): string {
  return `${Number(timestamp)}\u0000${requestId}`;
}

/** The minimum a journal line needs to become a row; other fields are sanitised by `toRequestLogRow`. */
function isRequestLogRecord(value: unknown): value is RequestLogRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<Record<keyof RequestLogRecord, unknown>>;
  return (
    typeof record.requestId === 'string' &&
    typeof record.timestamp === 'number' &&
    typeof record.status === 'number' &&
    typeof record.latencyMs === 'number' &&
    typeof record.attempts === 'number'
  );
}

/**
 * A journal written by an older version lacks the fields added since: read them as null (whatever
 * they are, without a list here to keep in step with the record type).
 */
function withNullDefaults(record: RequestLogRecord): RequestLogRecord {
  return new Proxy(record, { get: (target, key) => Reflect.get(target, key) ?? null });
}
