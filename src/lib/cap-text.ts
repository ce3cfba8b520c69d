/** Longest client-chosen string kept in a log line or a request-log column. */
export const MAX_CLIENT_TEXT = 256;

const MARKER = '…[truncated]';

/**
 * `value` cut to at most `max` characters, marker included, without splitting a surrogate pair:
 * a client-chosen string (a 20 MB model name) must not cost its size in every log row.
 */
export function capText(value: string, max = MAX_CLIENT_TEXT): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - MARKER.length);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return value.slice(0, end) + MARKER;
}
