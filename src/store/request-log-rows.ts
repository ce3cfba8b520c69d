import type { Insertable, Selectable } from 'kysely';
import { capText, MAX_CLIENT_TEXT } from '../lib/cap-text.ts';
import { fromAttemptLogColumn, toAttemptLogColumn } from './attempt-log-column.ts';
import type { RequestLogTable } from './database.ts';
import type { RequestLogRecord } from './types.ts';

export type RequestLogInsertRow = Insertable<RequestLogTable>;
export type RequestLogSelectRow = Omit<Selectable<RequestLogTable>, 'attempt_log'> & { attempt_log?: string | null };

/** Columns per inserted row (for statement parameter limits). */
export const REQUEST_LOG_INSERT_COLUMNS = 25;

/** Longest text kept in a column: several are client-chosen (a 20 MB model name must not cost 20 MB a row). */
export const MAX_TEXT_COLUMN = MAX_CLIENT_TEXT;
/** `fallback_models` lists configured names, possibly many. */
const MAX_FALLBACK_MODELS = 4 * MAX_CLIENT_TEXT;

/**
 * Converts a record to a row. Sanitizes values a database would reject (fractional or
 * non-finite integers, NUL characters in text), so that one bad record cannot poison a batch,
 * and caps the length of every text column.
 */
export function toRequestLogRow(record: RequestLogRecord): RequestLogInsertRow {
  return {
    timestamp: toInteger(record.timestamp),
    request_id: toText(record.requestId),
    client_request_id: toNullableText(record.clientRequestId ?? null),
    key_name: toNullableText(record.keyName),
    key_id: toNullableText(record.keyId ?? null),
    team: toNullableText(record.team ?? null),
    public_model: toNullableText(record.publicModel),
    provider: toNullableText(record.provider),
    upstream_model: toNullableText(record.upstreamModel),
    status: toInteger(record.status),
    latency_ms: toInteger(record.latencyMs),
    ttft_ms: toNullableInteger(record.ttftMs),
    stream: record.stream ? 1 : 0,
    attempts: toInteger(record.attempts),
    input_tokens: toNullableInteger(record.inputTokens),
    output_tokens: toNullableInteger(record.outputTokens),
    cached_input_tokens: toNullableInteger(record.cachedInputTokens),
    cache_write_tokens: toNullableInteger(record.cacheWriteTokens),
    reasoning_tokens: toNullableInteger(record.reasoningTokens),
    usage_estimated: record.usageEstimated ? 1 : 0,
    error_code: toNullableText(record.errorCode),
    fallback_models: toNullableText(record.fallbackModels, MAX_FALLBACK_MODELS),
    surface: toNullableText(record.surface ?? null),
    cost_micros: toNullableInteger(record.costMicros ?? null),
    attempt_log: toAttemptLogColumn(record.attemptLog),
  };
}

/** A row as read: `attempt_log` only when the query selected it (the request detail). */
export function fromRequestLogRow(row: RequestLogSelectRow): RequestLogRecord {
  const record: RequestLogRecord = {
    timestamp: Number(row.timestamp),
    requestId: row.request_id,
    clientRequestId: row.client_request_id,
    keyName: row.key_name,
    keyId: row.key_id,
    team: row.team,
    publicModel: row.public_model,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    status: Number(row.status),
    latencyMs: Number(row.latency_ms),
    ttftMs: fromNullableInteger(row.ttft_ms),
    stream: Number(row.stream) === 1,
    attempts: Number(row.attempts),
    inputTokens: fromNullableInteger(row.input_tokens),
    outputTokens: fromNullableInteger(row.output_tokens),
    cachedInputTokens: fromNullableInteger(row.cached_input_tokens),
    cacheWriteTokens: fromNullableInteger(row.cache_write_tokens),
    reasoningTokens: fromNullableInteger(row.reasoning_tokens),
    usageEstimated: Number(row.usage_estimated) === 1,
    errorCode: row.error_code,
    fallbackModels: row.fallback_models,
    costMicros: fromNullableInteger(row.cost_micros),
    surface: row.surface,
  };
  const attemptLog = row.attempt_log === undefined ? undefined : fromAttemptLogColumn(row.attempt_log);
  if (attemptLog !== undefined) record.attemptLog = attemptLog;
  return record;
}

function toInteger(value: number): number {
  return Number.isFinite(value) ? Math.round(value) : 0;
}

function toNullableInteger(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value);
}

function fromNullableInteger(value: number | null): number | null {
  return value === null ? null : Number(value);
}

function toText(value: string, max = MAX_TEXT_COLUMN): string {
  const capped = capText(value, max);
  return capped.includes('\u0000') ? capped.replaceAll('\u0000', '') : capped;
}

function toNullableText(value: string | null, max = MAX_TEXT_COLUMN): string | null {
  return value === null ? null : toText(value, max);
}
