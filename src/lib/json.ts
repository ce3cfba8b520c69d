/** JSON.parse that returns undefined instead of throwing. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Header value as one string (first of a list). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when `value` nests arrays or objects more than `maxDepth` levels deep (a scalar is level 0,
 * `[]` level 1). The walk stops at the limit, so its own recursion is bounded: JSON.parse accepts
 * any depth, but JSON.stringify and other recursive walks overflow the stack on ~10k levels.
 */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth <= 0) return true;
  if (Array.isArray(value)) return value.some((child) => nestedDeeperThan(child, maxDepth - 1));
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (nestedDeeperThan(record[key], maxDepth - 1)) return true;
  }
  return false;
}
