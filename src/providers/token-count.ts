/**
 * A token count as an upstream reported it, made safe to bill and store: a non-negative whole
 * number, else undefined (the count is treated as absent). Negative, non-finite, non-numeric and
 * absurdly large values (past 2^53, where integers lose precision) come only from a broken or
 * hostile upstream; fractions are floored. The request log stores counts as bigint, which would
 * reject a fraction and fail the whole batch.
 */
export function tokenCount(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const whole = Math.floor(value);
  return whole <= Number.MAX_SAFE_INTEGER ? whole : undefined;
}
