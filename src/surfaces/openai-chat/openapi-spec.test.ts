/**
 * The request validator against the official OpenAI OpenAPI spec (test/fixtures/specs/openapi.yaml):
 * every documented property of CreateChatCompletionRequest, and every message variant and content-part type
 * of ChatCompletionRequestMessage, gets an example value generated from its schema, and the validator must
 * accept it. Wrong JSON types for typed fields must be a 400 naming the field.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { fixturePath } from '../../../test/support/fixture-paths.ts';
import { GatewayError } from '../../core/errors.ts';
import { openAIErrorFields } from './error-vocabulary.ts';
import { validateChatRequest } from './validate-request.ts';

type Schema = { [key: string]: unknown };

const specPath = fixturePath('specs/openapi.yaml');
const spec: unknown = parseYaml(readFileSync(specPath, 'utf8'));

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function component(name: string): Schema {
  const schemas = isSchema(spec) && isSchema(spec.components) ? spec.components.schemas : undefined;
  const schema = isSchema(schemas) ? schemas[name] : undefined;
  assert.ok(isSchema(schema), `spec has components.schemas.${name}`);
  return schema;
}

/** Follows `$ref`s until a schema without one. */
function deref(schema: unknown): Schema {
  let current = schema;
  for (let hops = 0; isSchema(current) && typeof current.$ref === 'string'; hops++) {
    assert.ok(hops < 50, 'ref cycle');
    current = component(current.$ref.replace('#/components/schemas/', ''));
  }
  assert.ok(isSchema(current), 'schema');
  return current;
}

const branchesOf = (schema: Schema, key: 'oneOf' | 'anyOf' | 'allOf'): Schema[] =>
  Array.isArray(schema[key]) ? schema[key].map(deref) : [];

const isNullSchema = (schema: Schema): boolean => schema.type === 'null';

/** Properties and required names of an object schema, allOf parts merged (recursively). */
function objectShape(schema: Schema): { properties: Record<string, Schema>; required: string[] } {
  const resolved = deref(schema);
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const part of branchesOf(resolved, 'allOf')) {
    const shape = objectShape(part);
    Object.assign(properties, shape.properties);
    required.push(...shape.required);
  }
  if (isSchema(resolved.properties)) {
    for (const [name, property] of Object.entries(resolved.properties)) properties[name] = deref(property);
  }
  if (Array.isArray(resolved.required)) required.push(...resolved.required.filter((name) => typeof name === 'string'));
  return { properties, required };
}

function typesOf(schema: Schema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === 'string');
  return [];
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A small JSON Schema check (the subset the spec uses), so generated examples are known to be valid. */
function conforms(value: unknown, schemaLike: unknown, depth = 0): boolean {
  if (depth > 40) return true;
  const schema = deref(schemaLike);
  if (value === null && (schema.nullable === true || isNullSchema(schema))) return true;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if ('const' in schema && schema.const !== value) return false;
  for (const part of branchesOf(schema, 'allOf')) if (!conforms(value, part, depth + 1)) return false;
  const oneOf = branchesOf(schema, 'oneOf');
  if (oneOf.length > 0 && !oneOf.some((branch) => conforms(value, branch, depth + 1))) return false;
  const anyOf = branchesOf(schema, 'anyOf');
  if (anyOf.length > 0 && !anyOf.some((branch) => conforms(value, branch, depth + 1))) return false;
  const types = typesOf(schema);
  if (types.length > 0) {
    const actual = jsonType(value);
    const ok = types.some((type) => type === actual || (type === 'number' && actual === 'integer'));
    if (!ok) return false;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  }
  if (typeof value === 'string' && typeof schema.maxLength === 'number' && value.length > schema.maxLength)
    return false;
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    if (schema.items !== undefined && !value.every((item) => conforms(item, schema.items, depth + 1))) return false;
  }
  if (isSchema(value) && (isSchema(schema.properties) || Array.isArray(schema.required))) {
    const { properties, required } = objectShape(schema);
    if (!required.every((name) => name in value)) return false;
    for (const [name, item] of Object.entries(value)) {
      const property = properties[name];
      if (property !== undefined && !conforms(item, property, depth + 1)) return false;
    }
  }
  return true;
}

type Mode = 'required' | 'all';

function pickNumber(schema: Schema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : Number.NEGATIVE_INFINITY;
  const max = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
  const candidates = [schema.default, schema.example, 1, min, max, 0];
  for (const candidate of candidates) {
    if (typeof candidate !== 'number' || !Number.isFinite(candidate)) continue;
    if (candidate < min || candidate > max || (integer && !Number.isInteger(candidate))) continue;
    return candidate;
  }
  assert.fail(`no number within [${min}, ${max}]`);
}

function exampleString(schema: Schema): string {
  let text = 'example';
  if (typeof schema.default === 'string') text = schema.default;
  else if (typeof schema.example === 'string') text = schema.example;
  if (schema.format === 'uri') text = 'https://example.com/picture.png';
  return typeof schema.maxLength === 'number' ? text.slice(0, schema.maxLength) : text;
}

/**
 * One valid example for a schema: enums → first value, oneOf/anyOf → first branch whose example conforms,
 * objects → required properties (or all of them), arrays → one item, numbers within minimum/maximum.
 */
function example(schemaLike: unknown, mode: Mode = 'required', depth = 0): unknown {
  const schema = deref(schemaLike);
  assert.ok(depth < 20, 'example recursion too deep');
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.find((value) => value !== null);
  const allOf = branchesOf(schema, 'allOf');
  if (allOf.length > 0 && !isSchema(schema.properties)) {
    const merged: Record<string, unknown> = {};
    for (const part of allOf) Object.assign(merged, example(part, mode, depth + 1));
    return merged;
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = branchesOf(schema, key).filter((branch) => !isNullSchema(branch));
    if (branches.length === 0) continue;
    for (const branch of branches) {
      const value = example(branch, mode, depth + 1);
      if (conforms(value, branch)) return value;
    }
    assert.fail(`no ${key} branch gives a conforming example`);
  }
  const type =
    typesOf(schema).find((candidate) => candidate !== 'null') ?? (isSchema(schema.properties) ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const { properties, required } = objectShape(schema);
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties)) {
        if (mode === 'all' || required.includes(name)) out[name] = example(property, mode, depth + 1);
      }
      if (Object.keys(properties).length === 0 && isSchema(schema.additionalProperties)) {
        out['1'] = example(schema.additionalProperties, mode, depth + 1);
      }
      return out;
    }
    case 'array':
      return [example(schema.items ?? {}, mode, depth + 1)];
    case 'string':
      return exampleString(schema);
    case 'integer':
      return pickNumber(schema, true);
    case 'number':
      return pickNumber(schema, false);
    case 'boolean':
      return typeof schema.default === 'boolean' ? schema.default : true;
    default:
      return {};
  }
}

/**
 * Examples covering every oneOf/anyOf branch and every enum value reachable from a schema (one variant per
 * branch; everything else takes the first example). Objects use all their properties.
 */
function variants(schemaLike: unknown, depth = 0): unknown[] {
  const schema = deref(schemaLike);
  if (depth > 8) return [example(schema, 'all')];
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum.filter((value) => value !== null);
  const branches = [...branchesOf(schema, 'oneOf'), ...branchesOf(schema, 'anyOf')].filter(
    (branch) => !isNullSchema(branch),
  );
  if (branches.length > 0) return branches.flatMap((branch) => variants(branch, depth + 1));
  const type =
    typesOf(schema).find((candidate) => candidate !== 'null') ?? (isSchema(schema.properties) ? 'object' : undefined);
  if (type === 'array') return variants(schema.items ?? {}, depth + 1).map((item) => [item]);
  if (type !== 'object' && branchesOf(schema, 'allOf').length === 0) return [example(schema, 'all')];
  const base = example(schema, 'all');
  assert.ok(isSchema(base), 'isSchema(base)');
  const out: unknown[] = [base];
  for (const [name, property] of Object.entries(objectShape(schema).properties)) {
    for (const value of variants(property, depth + 1).slice(1)) out.push({ ...base, [name]: value });
  }
  return out;
}

/** A value of a JSON type the schema does not allow (undefined when it allows anything). */
function wrongTypeFor(schemaLike: unknown): unknown {
  const allowed = new Set<string>();
  const collect = (candidate: Schema): void => {
    const branches = [...branchesOf(candidate, 'oneOf'), ...branchesOf(candidate, 'anyOf')];
    if (branches.length > 0) {
      for (const branch of branches) collect(branch);
      return;
    }
    if (Array.isArray(candidate.enum)) for (const value of candidate.enum) allowed.add(jsonType(value));
    const types = typesOf(candidate);
    if (types.length === 0 && !Array.isArray(candidate.enum)) {
      if (isSchema(candidate.properties)) allowed.add('object');
      else allowed.add('any');
    }
    for (const type of types) allowed.add(type);
    if (allowed.has('number')) allowed.add('integer');
  };
  collect(deref(schemaLike));
  if (allowed.has('any')) return undefined;
  return [true, 'wrong-type', 7.5, ['wrong-type'], { wrong: 'type' }].find((value) => !allowed.has(jsonType(value)));
}

const REQUEST = component('CreateChatCompletionRequest');
const { properties: REQUEST_PROPERTIES, required: REQUEST_REQUIRED } = objectShape(REQUEST);
const MESSAGE_BRANCHES = branchesOf(component('ChatCompletionRequestMessage'), 'oneOf');
const baseRequest = (): Record<string, unknown> => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hello!' }],
});

function accepts(body: Record<string, unknown>, what: string, checkConformance = true): void {
  if (checkConformance) {
    assert.ok(conforms(body, REQUEST), `${what}: the generated request conforms to the spec: ${JSON.stringify(body)}`);
  }
  assert.doesNotThrow(() => validateChatRequest(body), `${what}: ${JSON.stringify(body).slice(0, 400)}`);
}

function rejectsWith(body: Record<string, unknown>, param: string, what: string): void {
  assert.throws(
    () => validateChatRequest(body),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError, `${what}: a GatewayError`);
      assert.equal(error.status, 400, what);
      assert.equal(openAIErrorFields(error).type, 'invalid_request_error', what);
      assert.equal(error.param, param, `${what}: param`);
      assert.ok(error.message.includes(param), `${what}: message names the field: ${error.message}`);
      return true;
    },
    `${what} should be rejected`,
  );
}

describe('CreateChatCompletionRequest from the official OpenAPI spec', () => {
  it('the spec resolves (allOf + $ref) to the documented request', () => {
    assert.deepEqual(REQUEST_REQUIRED.sort(), ['messages', 'model']);
    const names = Object.keys(REQUEST_PROPERTIES);
    assert.ok(names.length >= 35, `${names.length} properties`);
    for (const name of [
      'model',
      'messages',
      'stream',
      'stream_options',
      'tools',
      'tool_choice',
      'response_format',
      'temperature',
    ]) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(MESSAGE_BRANCHES.length, 6);
  });

  it('the example generator respects the schema it reads', () => {
    assert.equal(example({ type: 'integer', minimum: 5, maximum: 9 }), 5);
    assert.equal(example({ type: 'number', minimum: -2, maximum: 2, default: 0 }), 0);
    assert.equal(example({ type: 'string', enum: ['b', 'a'] }), 'b');
    assert.deepEqual(example({ anyOf: [{ type: 'null' }, { type: 'boolean' }] }), true);
    assert.deepEqual(
      example({ type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'string' } } }),
      {
        a: 'example',
      },
    );
    assert.equal(conforms(3, { type: 'integer', maximum: 2 }), false);
    assert.equal(conforms({}, { type: 'object', required: ['a'], properties: {} }), false);
    assert.equal(wrongTypeFor({ type: 'boolean' }), 'wrong-type');
    assert.equal(wrongTypeFor({ anyOf: [{ type: 'string' }, { type: 'null' }] }), true);
  });

  for (const [name, schema] of Object.entries(REQUEST_PROPERTIES)) {
    it(`accepts every documented form of '${name}'`, () => {
      const values = variants(schema);
      assert.ok(values.length > 0, 'values.length > 0');
      for (const value of values)
        accepts({ ...baseRequest(), [name]: value }, `${name}=${JSON.stringify(value)?.slice(0, 120)}`);
      if (!REQUEST_REQUIRED.includes(name) && conforms(null, schema)) {
        // Not checked against the whole request: allOf parts of the spec disagree on some nullables
        // (top_logprobs is nullable in the chat request, a plain integer in CreateModelResponseProperties).
        accepts({ ...baseRequest(), [name]: null }, `${name}=null`, false);
      }
    });
  }

  it('accepts a request with every documented property set at once', () => {
    const body: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(REQUEST_PROPERTIES)) body[name] = example(schema, 'all');
    accepts(body, 'all properties');
  });

  describe('every message variant of ChatCompletionRequestMessage', () => {
    const seenRoles = new Set<string>();
    const seenParts = new Set<string>();
    for (const branch of MESSAGE_BRANCHES) {
      const role = String(example(objectShape(branch).properties.role));
      it(`role '${role}': every content form, part type and optional field`, () => {
        const messages = [example(branch, 'required'), ...variants(branch)];
        for (const message of messages) {
          assert.ok(isSchema(message), 'isSchema(message)');
          assert.equal(message.role, role);
          assert.ok(conforms(message, branch), `conforms: ${JSON.stringify(message)}`);
          seenRoles.add(role);
          if (Array.isArray(message.content)) {
            for (const part of message.content)
              if (isSchema(part) && typeof part.type === 'string') seenParts.add(part.type);
          }
          accepts(
            { ...baseRequest(), messages: [message] },
            `${role} message ${JSON.stringify(message).slice(0, 300)}`,
          );
        }
      });
    }

    it('covered all six roles and every content-part type', () => {
      assert.deepEqual([...seenRoles].sort(), ['assistant', 'developer', 'function', 'system', 'tool', 'user']);
      assert.deepEqual([...seenParts].sort(), ['file', 'image_url', 'input_audio', 'refusal', 'text']);
    });
  });
});

describe('wrong JSON types are a 400 naming the field', () => {
  for (const [name, schema] of Object.entries(REQUEST_PROPERTIES)) {
    const wrong = wrongTypeFor(schema);
    if (wrong === undefined) continue;
    it(`'${name}' = ${JSON.stringify(wrong)}`, () => {
      assert.equal(conforms(wrong, schema), false);
      rejectsWith({ ...baseRequest(), [name]: wrong }, name, name);
    });
  }

  for (const branch of MESSAGE_BRANCHES) {
    const { properties } = objectShape(branch);
    const valid = example(branch, 'required');
    assert.ok(isSchema(valid), 'isSchema(valid)');
    for (const [field, schema] of Object.entries(properties)) {
      const wrong = wrongTypeFor(schema);
      if (wrong === undefined) continue;
      it(`${String(valid.role)} message '${field}' = ${JSON.stringify(wrong)}`, () => {
        rejectsWith({ ...baseRequest(), messages: [{ ...valid, [field]: wrong }] }, `messages[0].${field}`, field);
      });
    }
  }
});
