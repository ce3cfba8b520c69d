import type { JsonObject, JsonValue } from '../../core/types.ts';

/** Objects replaced whole rather than merged key by key (mixing two of them makes an invalid request). */
const ATOMIC_PATHS = new Set([
  'generationConfig.thinkingConfig',
  'generationConfig.responseSchema',
  'generationConfig.responseJsonSchema',
  'toolConfig.functionCallingConfig',
]);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `overlay` into `base` (a new object; neither input is changed). Objects merge key by
 * key, except the ATOMIC_PATHS; arrays and scalars are replaced; `null` deletes a key. `onReplace`
 * is told about every leaf path that overlay changed.
 */
export function mergeGeminiBody(
  base: JsonObject,
  overlay: JsonObject,
  onReplace: (path: string) => void = () => {},
  prefix = '',
): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const current = out[key];
    if (value === null) {
      if (current !== undefined) onReplace(path);
      delete out[key];
    } else if (isObject(value) && isObject(current) && !ATOMIC_PATHS.has(path)) {
      out[key] = mergeGeminiBody(current, value, onReplace, path);
    } else {
      if (current !== undefined && JSON.stringify(current) !== JSON.stringify(value)) onReplace(path);
      out[key] = value;
    }
  }
  return out;
}
