const USAGE_KEY = Buffer.from('"usage"');

/**
 * True when an SSE frame carries a non-null `usage` object. Cheap byte search first, so that
 * ordinary chunks (no usage, or `"usage":null`) are never JSON-parsed on the passthrough path.
 */
export function frameHasUsage(frame: Buffer): boolean {
  let at = frame.indexOf(USAGE_KEY);
  while (at >= 0) {
    let i = at + USAGE_KEY.length;
    while (i < frame.length && (frame[i] === 0x20 || frame[i] === 0x3a || frame[i] === 0x09)) i++;
    if (frame[i] === 0x7b) return true;
    at = frame.indexOf(USAGE_KEY, i);
  }
  return false;
}
