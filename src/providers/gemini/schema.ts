import type { JsonObject, JsonValue } from '../../core/types.ts';
import type { GeminiSchema } from '../../protocols/gemini.ts';

/**
 * JSON Schema (what OpenAI clients send) → Gemini's schemas.
 *
 * `toGeminiJsonSchema` is for `parametersJsonSchema` / `responseJsonSchema`, which take plain JSON
 * Schema: only the root `$schema` and OpenAI's `strict` are removed (the API documents that it
 * ignores keywords it does not support; additionalProperties is kept, as litellm does).
 *
 * `toGeminiSchema` is for `parameters` / `responseSchema` (the OpenAPI 3.0 subset of the proto
 * `Schema` message), used for models without JSON Schema support. Like vercel/ai
 * (convertJSONSchemaToOpenAPISchema), litellm (_build_vertex_schema) and Portkey: `$ref` is
 * resolved against `$defs`/`definitions` (recursion is cut after a few levels), `type: [x, "null"]`
 * and `anyOf` with a null branch become `nullable: true`, `const` becomes a one-value `enum`,
 * `allOf` is merged, non-string enums move into the description, string formats other than
 * `enum`/`date-time` are dropped, types are upper-case, an empty `properties` is omitted ("should
 * be non-empty for OBJECT type") and every keyword the subset does not have (additionalProperties,
 * $schema, $id, patternProperties, not, if/then/else, prefixItems, examples, ...) is dropped.
 */
export function toGeminiJsonSchema(schema: JsonObject): JsonObject {
  const { $schema: _schema, strict: _strict, ...rest } = schema;
  return rest;
}

export interface GeminiSchemaOptions {
  /** Adds `propertyOrdering` (response schemas: keeps the client's key order in the output). */
  propertyOrdering?: boolean;
}

const MAX_REF_DEPTH = 3;
const TYPES: Record<string, NonNullable<GeminiSchema['type']> | undefined> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
  null: 'NULL',
};
const FORMATS: Record<string, string[]> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};
const NUMBER_KEYS = [
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
] as const;

export function toGeminiSchema(schema: JsonObject, options: GeminiSchemaOptions = {}): GeminiSchema {
  const defs = { ...asObject(schema.definitions), ...asObject(schema.$defs) };
  return convert(schema, { defs, refDepth: 0, ordering: options.propertyOrdering === true });
}

interface Context {
  defs: JsonObject;
  refDepth: number;
  ordering: boolean;
}

function convert(input: JsonObject, ctx: Context): GeminiSchema {
  const schema = resolveRef(mergeAllOf(input), ctx);
  if (schema === undefined) return { type: 'OBJECT' };
  const inner: Context = typeof input.$ref === 'string' ? { ...ctx, refDepth: ctx.refDepth + 1 } : ctx;
  const out: GeminiSchema = {};
  const variants = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined)
    ?.map(asObject)
    .filter((variant): variant is JsonObject => variant !== undefined);
  let nullable = false;
  if (variants) {
    const nonNull = variants.filter((variant) => variant.type !== 'null');
    nullable = nonNull.length < variants.length;
    if (nonNull.length === 1) Object.assign(out, convert(nonNull[0] as JsonObject, inner));
    else if (nonNull.length > 1) out.anyOf = nonNull.map((variant) => convert(variant, inner));
  }
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (t): t is string => typeof t === 'string',
  );
  if (types.includes('null') && types.length > 1) nullable = true;
  const realTypes = types.filter((t) => t !== 'null');
  const single = realTypes.length === 1 ? TYPES[realTypes[0] as string] : undefined;
  if (single) out.type = single;
  else if (realTypes.length > 1)
    out.anyOf = realTypes.map((t) => convert({ ...schema, type: t, anyOf: null, oneOf: null }, inner));
  else if (types.length === 1 && types[0] === 'null') out.type = 'NULL';
  if (nullable) out.nullable = true;
  copyScalars(schema, out);
  convertEnum(schema, out);
  if (out.format !== undefined && !(out.type && FORMATS[out.type]?.includes(out.format))) delete out.format;
  const items = asObject(schema.items);
  if (items) out.items = convert(items, inner);
  const properties = asObject(schema.properties);
  if (properties && Object.keys(properties).length > 0) {
    out.properties = {};
    for (const [key, value] of Object.entries(properties)) {
      const child = asObject(value);
      out.properties[key] = child ? convert(child, inner) : {};
    }
    const required = Array.isArray(schema.required)
      ? schema.required.filter((name) => typeof name === 'string' && name in properties)
      : [];
    if (required.length > 0) out.required = required as string[];
    if (ctx.ordering) out.propertyOrdering = Object.keys(properties);
    out.type ??= 'OBJECT';
  }
  return out;
}

function copyScalars(schema: JsonObject, out: GeminiSchema): void {
  if (typeof schema.title === 'string') out.title = schema.title;
  if (typeof schema.description === 'string') out.description = schema.description;
  if (typeof schema.format === 'string') out.format = schema.format;
  if (typeof schema.pattern === 'string') out.pattern = schema.pattern;
  for (const key of NUMBER_KEYS) {
    const value = schema[key];
    if (typeof value === 'number') out[key] = value;
  }
  copyExclusiveBounds(schema, out);
  if (schema.default !== undefined && schema.default !== null) out.default = schema.default;
  if (schema.example !== undefined) out.example = schema.example;
  else if (Array.isArray(schema.examples) && schema.examples.length > 0) out.example = schema.examples[0] as JsonValue;
}

/**
 * The subset has no exclusiveMinimum/exclusiveMaximum (the API rejects them as unknown names; Zod
 * emits them for `.positive()`, `.gt()`): on integers they become the next inclusive bound, on
 * other numbers they go into the description, so the constraint is not lost.
 */
function copyExclusiveBounds(schema: JsonObject, out: GeminiSchema): void {
  const notes: string[] = [];
  for (const [key, bound, step] of [
    ['exclusiveMinimum', 'minimum', 1],
    ['exclusiveMaximum', 'maximum', -1],
  ] as const) {
    const value = schema[key];
    if (typeof value !== 'number') continue;
    const current = out[bound];
    if (schema.type === 'integer') {
      const inclusive = Number.isInteger(value) ? value + step : step > 0 ? Math.ceil(value) : Math.floor(value);
      out[bound] =
        current === undefined ? inclusive : step > 0 ? Math.max(current, inclusive) : Math.min(current, inclusive);
    } else notes.push(`${key}: ${value}`);
  }
  if (notes.length > 0)
    out.description = out.description ? `${out.description} (${notes.join(', ')})` : `(${notes.join(', ')})`;
}

function convertEnum(schema: JsonObject, out: GeminiSchema): void {
  const values = Array.isArray(schema.enum) ? schema.enum : schema.const !== undefined ? [schema.const] : undefined;
  if (!values) return;
  if (values.every((value) => typeof value === 'string')) {
    out.enum = values as string[];
    out.type ??= 'STRING';
    return;
  }
  const listed = values.map((value) => JSON.stringify(value)).join(', ');
  out.description = out.description ? `${out.description} (allowed values: ${listed})` : `Allowed values: ${listed}`;
}

function mergeAllOf(schema: JsonObject): JsonObject {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const merged: JsonObject = { ...rest };
  const properties: JsonObject = { ...asObject(rest.properties) };
  const required = new Set<string>(
    Array.isArray(rest.required) ? rest.required.filter((r): r is string => typeof r === 'string') : [],
  );
  for (const part of allOf ?? []) {
    const branch = asObject(part);
    if (!branch) continue;
    Object.assign(properties, asObject(branch.properties));
    if (Array.isArray(branch.required))
      for (const name of branch.required) if (typeof name === 'string') required.add(name);
    for (const [key, value] of Object.entries(branch))
      if (key !== 'properties' && key !== 'required') merged[key] ??= value;
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function resolveRef(schema: JsonObject, ctx: Context): JsonObject | undefined {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (ctx.refDepth >= MAX_REF_DEPTH) return undefined;
  const name = ref.replace(/^#\/(?:\$defs|definitions)\//, '');
  const target = asObject(ctx.defs[name]);
  if (!target) return undefined;
  const { $ref: _ref, ...siblings } = schema;
  return { ...target, ...siblings };
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}
