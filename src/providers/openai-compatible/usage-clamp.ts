import { isRecord } from '../../lib/json.ts';
import { tokenCount } from '../token-count.ts';

/**
 * The upstream's `usage` object with every count that is not a whole non-negative number set to
 * 0 (nested `*_details` objects included), or undefined when every count is already sane (the
 * usual case: the bytes then pass through untouched). Only broken or hostile upstreams report
 * negative or fractional tokens; the client must not be shown, or bill on, such numbers.
 */
export function clampedUsage(usage: Record<string, unknown>): Record<string, unknown> | undefined {
  return countsLookSane(usage) ? undefined : clampAll(usage);
}

/** Fast path: a usage object whose values are all small non-negative integers (nested ones included). */
function countsLookSane(usage: Record<string, unknown>): boolean {
  for (const key in usage) {
    const value = usage[key];
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) return false;
    } else if (isRecord(value) && !countsLookSane(value)) return false;
  }
  return true;
}

function clampAll(usage: Record<string, unknown>): Record<string, unknown> | undefined {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(usage)) {
    if (typeof value === 'number') {
      const count = tokenCount(value) ?? 0;
      if (count !== value) changed = true;
      out[key] = count;
    } else if (isRecord(value)) {
      const nested = clampAll(value);
      if (nested) changed = true;
      out[key] = nested ?? value;
    } else {
      out[key] = value;
    }
  }
  return changed ? out : undefined;
}
