import { capText } from '../lib/cap-text.ts';
import type { AttemptOutcomeName, AttemptRecord } from './types.ts';

/**
 * Attempts kept per row. Retries and fallbacks are bounded by the config, but a row must stay small
 * whatever the config says: past this many, only the count (`attempts`) tells how many there were.
 */
export const MAX_STORED_ATTEMPTS = 32;

const OUTCOMES: ReadonlySet<string> = new Set<AttemptOutcomeName>([
  'ok',
  'stream_error',
  'timeout',
  'reset',
  '429',
  '5xx',
  '4xx',
  'aborted',
  'error',
]);

/**
 * The `attempt_log` column: the known fields of at most MAX_STORED_ATTEMPTS attempts, text capped,
 * numbers made finite. Takes `unknown` because a journal line (replayed after a crash) is not trusted.
 */
export function toAttemptLogColumn(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const attempts: AttemptRecord[] = [];
  for (const item of value.slice(0, MAX_STORED_ATTEMPTS)) {
    const attempt = sanitizeAttempt(item);
    if (attempt !== undefined) attempts.push(attempt);
  }
  return attempts.length === 0 ? null : JSON.stringify(attempts);
}

/** The attempts of a row; an unreadable column reads as none rather than failing the page. */
export function fromAttemptLogColumn(column: string | null): AttemptRecord[] | undefined {
  if (column === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(column);
    return Array.isArray(parsed) ? (parsed as AttemptRecord[]) : undefined;
  } catch {
    return undefined;
  }
}

function sanitizeAttempt(item: unknown): AttemptRecord | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const fields = item as Record<string, unknown>;
  const outcome = typeof fields.outcome === 'string' && OUTCOMES.has(fields.outcome) ? fields.outcome : 'error';
  const attempt: AttemptRecord = {
    publicModel: text(fields.publicModel),
    provider: text(fields.provider),
    deployment: text(fields.deployment),
    upstreamModel: text(fields.upstreamModel),
    startedAt: integer(fields.startedAt) ?? 0,
    durationMs: integer(fields.durationMs) ?? 0,
    outcome: outcome as AttemptOutcomeName,
    status: integer(fields.status),
    errorCode: fields.errorCode === null || fields.errorCode === undefined ? null : text(fields.errorCode),
    fallback: fields.fallback === true,
  };
  if (typeof fields.spanId === 'string') attempt.spanId = capText(fields.spanId, 32);
  return attempt;
}

function text(value: unknown): string {
  if (typeof value !== 'string') return '';
  const capped = capText(value);
  return capped.includes('\u0000') ? capped.replaceAll('\u0000', '') : capped;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}
