/**
 * Test support: the message/field structure of the v1beta protos in test/fixtures/specs, so
 * tests can check that every key llmux sends is a real field (JSON names: lowerCamelCase of the
 * proto name, or the explicit `json_name`). Not used at runtime.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProtoField {
  /** JSON name. */
  name: string;
  /** Type as written (`Content`, `google.protobuf.Value`, `string`…); for maps, the value type. */
  type: string;
  map: boolean;
}

export type ProtoMessages = Map<string, Map<string, ProtoField>>;

const SCALARS = new Set([
  'string',
  'bytes',
  'bool',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'float',
  'double',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
]);
/** Free-form JSON (google.protobuf.Value / Struct): anything goes below these. */
const FREE_FORM = new Set(['google.protobuf.Value', 'google.protobuf.Struct', 'google.protobuf.ListValue']);

export function toLowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Parses every `*.proto` in `dir` into `Outer.Inner` message name → fields. */
export function loadProtoMessages(dir: string): ProtoMessages {
  const messages: ProtoMessages = new Map();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.proto'))) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/\/\/[^\n]*/g, '');
    const stack: Array<{ kind: 'message' | 'other'; name: string }> = [];
    let statement = '';
    const inOptions = (): boolean => (statement.match(/\[/g) ?? []).length > (statement.match(/\]/g) ?? []).length;
    for (const token of text.split(/([{};])/)) {
      if ((token === '{' || token === '}' || token === ';') && inOptions()) {
        statement += token;
      } else if (token === '{') {
        const header = statement.trim();
        const match = /^message\s+(\w+)$/.exec(header);
        if (match) {
          const scope = stack.filter((s) => s.kind === 'message').map((s) => s.name);
          const name = [...scope, match[1]].join('.');
          messages.set(name, new Map());
          stack.push({ kind: 'message', name: match[1] as string });
        } else {
          stack.push({ kind: 'other', name: header });
        }
        statement = '';
      } else if (token === '}') {
        stack.pop();
        statement = '';
      } else if (token === ';') {
        const current = stack
          .filter((s) => s.kind === 'message')
          .map((s) => s.name)
          .join('.');
        const inOneof = stack.at(-1)?.kind === 'other' && stack.at(-1)?.name.startsWith('oneof');
        const inMessage = stack.at(-1)?.kind === 'message' || inOneof;
        const field = inMessage ? parseField(statement) : undefined;
        if (field && current) messages.get(current)?.set(field.name, field);
        statement = '';
      } else {
        statement += token;
      }
    }
  }
  return messages;
}

function parseField(statement: string): ProtoField | undefined {
  const text = statement.replace(/\s+/g, ' ').trim();
  const match = /^(?:optional |repeated )?(map<\s*\w+\s*,\s*([\w.]+)\s*>|[\w.]+) (\w+) = \d+/.exec(text);
  if (!match || ['option', 'reserved', 'enum', 'oneof'].includes(match[1] ?? '')) return undefined;
  const jsonName = /json_name\s*=\s*"([^"]+)"/.exec(text)?.[1];
  const map = match[2] !== undefined;
  return { name: jsonName ?? toLowerCamel(match[3] as string), type: (map ? match[2] : match[1]) as string, map };
}

/** Resolves a field type seen inside `scope` (nested types first, then outward, then top level). */
function resolve(messages: ProtoMessages, scope: string, type: string): string | undefined {
  const parts = scope.split('.');
  for (let i = parts.length; i >= 0; i--) {
    const candidate = [...parts.slice(0, i), type].join('.');
    if (messages.has(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Every key path in `value` that is not a field of `message` (recursively through message-typed
 * fields, repeated fields and maps; free-form Value/Struct fields are not descended into).
 * `extraFields` adds fields a message is known to have beyond the proto snapshot.
 */
export function unknownFields(
  messages: ProtoMessages,
  message: string,
  value: unknown,
  extraFields: Record<string, string[]> = {},
  path = message,
): string[] {
  const fields = messages.get(message);
  if (!fields) return [`${path}: no message ${message}`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) {
      if (!extraFields[message]?.includes(key)) problems.push(`${path}.${key}`);
      continue;
    }
    if (SCALARS.has(field.type) || FREE_FORM.has(field.type)) continue;
    const type = resolve(messages, message, field.type);
    if (!type) continue; // enums and well-known types such as Duration
    const items = field.map ? Object.values(child as object) : Array.isArray(child) ? child : [child];
    for (const item of items) problems.push(...unknownFields(messages, type, item, extraFields, `${path}.${key}`));
  }
  return problems;
}
