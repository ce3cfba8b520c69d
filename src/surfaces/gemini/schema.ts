import type { JsonObject, JsonValue } from '../../core/types.ts';

/** Gemini-only keys of the OpenAPI subset that mean nothing in JSON Schema. */
const GEMINI_ONLY_KEYS = new Set(['propertyOrdering', 'nullable', 'example']);

/**
 * Gemini's `Schema` (the OpenAPI 3.0 subset: upper-case types, `nullable`) → JSON Schema, for
 * models that are not Gemini: types lower-cased, `nullable: true` → a `null` type alongside,
 * `propertyOrdering` dropped. Nested `properties`, `items` and `anyOf` are converted the same way.
 */
export function fromGeminiSchema(schema: JsonValue): JsonObject {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (GEMINI_ONLY_KEYS.has(key)) continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, fromGeminiSchema(sub)]));
    } else if (key === 'items') out.items = fromGeminiSchema(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map(fromGeminiSchema);
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
