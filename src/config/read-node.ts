import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { PathSegment } from './errors.ts';
import { discriminator, enumValues, type SchemaView, viewSchema } from './schema-view.ts';
import { suggestKey } from './suggest.ts';

export interface ReadContext {
  doc: Document;
  report(path: PathSegment[], message: string): void;
}

/**
 * Reads a YAML node against a TypeBox (JSON) schema: applies defaults, coerces strings from env substitution
 * ("8080" → 8080, "true" → true) where the schema asks for numbers/booleans, rejects unknown keys, and reports every
 * problem with its path. An invalid value is replaced by a schema-valid placeholder (after being reported), so the
 * result always matches the schema and cross-field checks can still run on the rest.
 */
export function readNode(input: unknown, schema: object, path: PathSegment[], context: ReadContext): unknown {
  const value = readValue(input, schema, path, context);
  return value === INVALID ? placeholderOf(schema) : value;
}

const INVALID: unique symbol = Symbol('invalid');

function readValue(input: unknown, schema: object, path: PathSegment[], context: ReadContext): unknown {
  const node = isAlias(input) ? input.resolve(context.doc) : input;
  const view = viewSchema(schema);
  const values = enumValues(view);
  if (values !== undefined) return readEnum(node, values, path, context);
  if (view.anyOf !== undefined) return readTaggedUnion(node, view, path, context);
  switch (view.type) {
    case 'object':
      if (view.properties !== undefined) return readObject(node, view, path, context);
      if (view.recordValue !== undefined) return readRecord(node, view.recordValue, path, context);
      return readAny(node, context);
    case 'array':
      return readArray(node, view, path, context);
    case 'string':
      return readString(node, view, path, context);
    case 'integer':
    case 'number':
      return readNumber(node, view, path, context);
    case 'boolean':
      return readBoolean(node, path, context);
    case undefined:
      return readAny(node, context);
    default:
      throw new Error(`config reader: unsupported schema type ${view.type}`);
  }
}

/** The schema's default with nested object defaults filled in; undefined when it has none. */
export function defaultOf(schema: object): unknown {
  const view = viewSchema(schema);
  if (!view.hasDefault) return undefined;
  const value: unknown = structuredClone(view.default);
  if (view.properties !== undefined && isRecord(value)) {
    for (const [key, property] of Object.entries(view.properties)) {
      if (Object.hasOwn(value, key)) continue;
      const fallback = defaultOf(property);
      if (fallback !== undefined) value[key] = fallback;
    }
  }
  return value;
}

function readObject(node: unknown, view: SchemaView, path: PathSegment[], context: ReadContext): unknown {
  if (!isMap(node)) return problem(context, path, 'must be a mapping');
  const properties = view.properties ?? {};
  const result: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const { key, value } of pairs(node, path, context)) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property === undefined) {
      context.report([...path, key], unknownKeyMessage(key, Object.keys(properties)));
      continue;
    }
    if (isEmpty(value, context.doc)) continue;
    given.add(key);
    result[key] = readNode(value, property, [...path, key], context);
  }
  for (const [key, property] of Object.entries(properties)) {
    if (given.has(key)) continue;
    const fallback = defaultOf(property);
    if (fallback !== undefined) result[key] = fallback;
    else if (view.required.includes(key)) {
      context.report([...path, key], 'required');
      result[key] = placeholderOf(property);
    }
  }
  return result;
}

function readRecord(node: unknown, valueSchema: object, path: PathSegment[], context: ReadContext): unknown {
  if (!isMap(node)) return problem(context, path, 'must be a mapping');
  const result: Record<string, unknown> = {};
  for (const { key, value } of pairs(node, path, context)) {
    if (key === '__proto__') {
      context.report([...path, key], 'reserved key');
      continue;
    }
    result[key] = readNode(value, valueSchema, [...path, key], context);
  }
  return result;
}

function readArray(node: unknown, view: SchemaView, path: PathSegment[], context: ReadContext): unknown {
  if (!isSeq(node)) return problem(context, path, 'must be a list');
  const items = view.items ?? {};
  const result = node.items.map((item, index) => readNode(item, items, [...path, index], context));
  if (view.minItems !== undefined && node.items.length < view.minItems) {
    return problem(context, path, `must have at least ${view.minItems} ${view.minItems === 1 ? 'entry' : 'entries'}`);
  }
  return result;
}

function readTaggedUnion(node: unknown, view: SchemaView, path: PathSegment[], context: ReadContext): unknown {
  const tag = discriminator(view);
  if (tag === undefined)
    throw new Error('config reader: only unions of string literals or tagged objects are supported');
  if (!isMap(node)) return problem(context, path, 'must be a mapping');
  const options = (view.anyOf ?? []).map((option) => ({ option, value: viewSchema(option).properties?.[tag] }));
  const allowed = options.map(({ value }) => (value === undefined ? '' : (viewSchema(value).const ?? '')));
  const tagNode = node.get(tag, true);
  if (isEmpty(tagNode, context.doc)) return problem(context, [...path, tag], 'required');
  const tagValue = readEnum(tagNode, allowed, [...path, tag], context);
  const chosen = options[allowed.indexOf(typeof tagValue === 'string' ? tagValue : '')];
  return chosen === undefined ? INVALID : readObject(node, viewSchema(chosen.option), path, context);
}

function readEnum(node: unknown, values: readonly string[], path: PathSegment[], context: ReadContext): unknown {
  const text = scalarText(node);
  if (text !== undefined && values.includes(text)) return text;
  return problem(context, path, `must be one of ${values.join(', ')}`);
}

function readString(node: unknown, view: SchemaView, path: PathSegment[], context: ReadContext): unknown {
  const text = scalarText(node);
  if (text === undefined) return problem(context, path, 'must be a string');
  const minLength = view.minLength ?? 0;
  if (text.length < minLength) {
    return problem(context, path, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`);
  }
  return text;
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function readNumber(node: unknown, view: SchemaView, path: PathSegment[], context: ReadContext): unknown {
  const raw = isScalar(node) ? node.value : undefined;
  const value = typeof raw === 'string' && NUMERIC.test(raw.trim()) ? Number(raw.trim()) : raw;
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (view.type !== 'integer' || Number.isInteger(value)) &&
    (view.minimum === undefined || value >= view.minimum) &&
    (view.exclusiveMinimum === undefined || value > view.exclusiveMinimum) &&
    (view.maximum === undefined || value <= view.maximum);
  return valid ? value : problem(context, path, `must be ${describeNumber(view)}`);
}

function describeNumber(view: SchemaView): string {
  const kind = view.type === 'integer' ? 'an integer' : 'a number';
  if (view.minimum !== undefined && view.maximum !== undefined)
    return `${kind} between ${view.minimum} and ${view.maximum}`;
  if (view.minimum !== undefined) return `${kind} >= ${view.minimum}`;
  if (view.exclusiveMinimum !== undefined) return `${kind} > ${view.exclusiveMinimum}`;
  if (view.maximum !== undefined) return `${kind} <= ${view.maximum}`;
  return kind;
}

function readBoolean(node: unknown, path: PathSegment[], context: ReadContext): unknown {
  const raw = isScalar(node) ? node.value : undefined;
  if (typeof raw === 'boolean') return raw;
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (text === 'true' || text === 'false') return text === 'true';
  return problem(context, path, 'must be true or false');
}

function readAny(node: unknown, context: ReadContext): unknown {
  return isNode(node) ? node.toJS(context.doc) : null;
}

/** Text of a scalar; a plain number/boolean keeps its source spelling (`00123` stays "00123"). */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' || typeof node.value === 'boolean') return node.source ?? String(node.value);
  return undefined;
}

function* pairs(node: YAMLMap, path: PathSegment[], context: ReadContext): Generator<{ key: string; value: unknown }> {
  for (const pair of node.items) {
    const key = scalarText(isAlias(pair.key) ? pair.key.resolve(context.doc) : pair.key);
    if (key === undefined) context.report(path, 'keys must be plain strings');
    else yield { key, value: pair.value };
  }
}

function isEmpty(node: unknown, doc: Document): boolean {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  return resolved === undefined || resolved === null || (isScalar(resolved) && resolved.value === null);
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const suggestion = suggestKey(key, allowed);
  return suggestion === undefined
    ? `unknown key (expected one of: ${allowed.join(', ')})`
    : `unknown key (did you mean "${suggestion}"?)`;
}

function problem(context: ReadContext, path: PathSegment[], message: string): typeof INVALID {
  context.report(path, message);
  return INVALID;
}

/** A value that passes the schema: its default, else the smallest valid value. Stands in for invalid input. */
export function placeholderOf(schema: object): unknown {
  const view = viewSchema(schema);
  if (view.hasDefault) return defaultOf(schema);
  const values = enumValues(view);
  if (values !== undefined) return values[0];
  if (view.anyOf?.[0] !== undefined) return placeholderOf(view.anyOf[0]);
  switch (view.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(view.properties ?? {})) {
        if (view.required.includes(key) || viewSchema(property).hasDefault) result[key] = placeholderOf(property);
      }
      return result;
    }
    case 'array':
      return Array.from({ length: view.minItems ?? 0 }, () => placeholderOf(view.items ?? {}));
    case 'string':
      return view.const ?? '?'.repeat(view.minLength ?? 0);
    case 'integer':
    case 'number':
      return Math.max(view.minimum ?? 0, view.exclusiveMinimum === undefined ? 0 : view.exclusiveMinimum + 1);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
