import type { RequestLogCursor, RequestLogRecord } from '../store/types.ts';
import { badField } from './admin-errors.ts';
import { microsToUsd } from './views.ts';

/** A request log row as the admin API shows it (ISO timestamp, cost in USD); the attempt log is the detail's. */
export function requestView(record: RequestLogRecord) {
  const { attemptLog: _attempts, ...fields } = record;
  return {
    ...fields,
    timestamp: new Date(record.timestamp).toISOString(),
    costUsd: record.costMicros === null ? null : microsToUsd(record.costMicros),
  };
}

/** `GET /admin/requests/{id}`: the row, with `attempts` the attempt log and `attemptCount` the number made. */
export function requestDetailView(record: RequestLogRecord) {
  return { ...requestView(record), attempts: record.attemptLog ?? [], attemptCount: record.attempts };
}

/** The `before` cursor as sent to clients: `<timestamp>-<row id>`. */
export function cursorText(cursor: RequestLogCursor | null): string | null {
  if (cursor === null) return null;
  return cursor.id === undefined ? String(cursor.timestamp) : `${cursor.timestamp}-${cursor.id}`;
}

/** A page's `nextBefore`, or a bare epoch-ms timestamp (rows strictly older). */
export function parseCursor(text: string): RequestLogCursor {
  const match = /^(\d{1,16})(?:-(\d{1,16}))?$/.exec(text);
  if (match === null)
    throw badField('before', '`before` must be the `nextBefore` of the previous page, or epoch milliseconds.');
  const timestamp = Number(match[1]);
  return match[2] === undefined ? { timestamp } : { timestamp, id: Number(match[2]) };
}
