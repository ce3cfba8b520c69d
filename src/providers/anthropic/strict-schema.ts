/**
 * JSON Schema → the subset Claude's structured outputs accept (`output_config.format` and
 * `strict: true` tools), the way Anthropic's SDK prepares schemas (`transformJSONSchema` in
 * @anthropic-ai/sdk): a constraint Claude rejects (numeric bounds, string lengths, `minItems` > 1,
 * `maxItems`, string formats it lacks, regex features it lacks, …) is removed and written into that
 * schema's `description` (`{minimum: 1, maximum: 10}`), so the model still reads it. Every other
 * keyword is kept. Objects get `additionalProperties: false` (required); `oneOf` becomes `anyOf`;
 * the root `$schema` goes (it names the dialect and constrains nothing).
 */
import type { JsonObject, JsonValue } from '../../core/types.ts';

const UNSUPPORTED = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'minContains',
  'maxContains',
]);

const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

/** Lookarounds, backreferences and word boundaries: outside the regex subset Claude supports. */
const UNSUPPORTED_REGEX = /\(\?(?:=|!|<=|<!)|\\[1-9]|\\k<|\\[bB]/;

/** Keywords whose value is one schema / an array of schemas / a map of schemas. */
const SCHEMA_KEYS = ['items', 'not', 'contains', 'if', 'then', 'else'];
const SCHEMA_ARRAY_KEYS = ['anyOf', 'allOf', 'prefixItems'];
const SCHEMA_MAP_KEYS = ['properties', '$defs', 'definitions', 'patternProperties'];

export interface StrictSchemaResult {
  schema: JsonObject;
  /** `keyword at path` for each constraint moved into a description. */
  moved: string[];
}

export function toClaudeStrictSchema(schema: JsonObject): StrictSchemaResult {
  const moved: string[] = [];
  const { $schema: _dialect, ...root } = schema;
  return { schema: transform(root, '', moved), moved };
}

/** One warning naming what was moved, or undefined when nothing was. */
export function strictSchemaWarning(label: string, moved: string[]): string | undefined {
  if (moved.length === 0) return undefined;
  const shown = moved.slice(0, 5).join(', ') + (moved.length > 5 ? `, and ${moved.length - 5} more` : '');
  return `${label}: ${shown} moved into descriptions (not supported by Claude's structured outputs)`;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnsupported(key: string, value: JsonValue): boolean {
  if (UNSUPPORTED.has(key)) return true;
  if (key === 'minItems') return value !== 0 && value !== 1;
  if (key === 'format') return typeof value === 'string' && !FORMATS.has(value);
  if (key === 'pattern') return typeof value === 'string' && UNSUPPORTED_REGEX.test(value);
  return false;
}

function isObjectSchema(schema: JsonObject): boolean {
  const type = schema.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || isObject(schema.properties);
}

function transform(input: JsonObject, path: string, moved: string[]): JsonObject {
  const out: JsonObject = {};
  const removed: Array<[string, JsonValue]> = [];
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
  for (const [key, value] of Object.entries(input)) {
    if (isUnsupported(key, value)) {
      removed.push([key, value]);
      moved.push(`'${key}'${path === '' ? '' : ` at ${path}`}`);
    } else if (SCHEMA_KEYS.includes(key) && isObject(value)) {
      out[key] = transform(value, at(key), moved);
    } else if ((SCHEMA_ARRAY_KEYS.includes(key) || key === 'oneOf') && Array.isArray(value)) {
      const name = key === 'oneOf' ? 'anyOf' : key;
      out[name] = value.map((item, i) => (isObject(item) ? transform(item, `${at(key)}[${i}]`, moved) : item));
    } else if (SCHEMA_MAP_KEYS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, item]) => [
          name,
          isObject(item) ? transform(item, `${at(key)}.${name}`, moved) : item,
        ]),
      );
    } else out[key] = value;
  }
  if (isObjectSchema(input) && input.additionalProperties !== false) {
    if (input.additionalProperties !== undefined) {
      removed.push(['additionalProperties', input.additionalProperties]);
      moved.push(`'additionalProperties'${path === '' ? '' : ` at ${path}`}`);
    }
    out.additionalProperties = false;
  }
  if (removed.length > 0) {
    const note = `{${removed.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')}}`;
    out.description = typeof out.description === 'string' && out.description ? `${out.description}\n\n${note}` : note;
  }
  return out;
}
