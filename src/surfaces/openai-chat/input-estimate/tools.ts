/**
 * Tool definitions as OpenAI bills them: not their JSON but a compact rendering, which OpenAI's
 * cookbook ("How to count tokens with tiktoken", gpt-4o family) approximates with these constants
 * around `name:description` and `property:type:description` lines. Nested schemas, which the
 * cookbook does not cover, count as their JSON.
 */
import { isRecord, type JsonRecord, json, stringOf } from './json-guards.ts';

export const TOOL_TOKENS = {
  perFunction: 7,
  properties: 3,
  perProperty: 3,
  enumList: -3,
  perEnumItem: 3,
  end: 12,
} as const;

/** Pushes the tools' text to `texts`; returns the tokens they cost beyond that text. */
export function collectTools(tools: readonly unknown[], texts: string[]): number {
  let fixed = 0;
  for (const tool of tools) {
    const definition = isRecord(tool) && isRecord(tool.function) ? tool.function : tool;
    if (!isRecord(definition)) continue;
    fixed += TOOL_TOKENS.perFunction;
    texts.push(`${stringOf(definition.name)}:${withoutFinalDot(stringOf(definition.description))}`);
    const parameters = isRecord(definition.parameters) ? definition.parameters : {};
    const properties = Object.entries(isRecord(parameters.properties) ? parameters.properties : {});
    if (properties.length > 0) fixed += TOOL_TOKENS.properties;
    for (const [name, schema] of properties) fixed += collectProperty(name, isRecord(schema) ? schema : {}, texts);
  }
  return fixed > 0 ? fixed + TOOL_TOKENS.end : 0;
}

function collectProperty(name: string, schema: JsonRecord, texts: string[]): number {
  let fixed = TOOL_TOKENS.perProperty;
  const { type, description, enum: values, ...nested } = schema;
  if (Array.isArray(values)) {
    fixed += TOOL_TOKENS.enumList;
    for (const value of values) {
      fixed += TOOL_TOKENS.perEnumItem;
      texts.push(typeof value === 'string' ? value : json(value));
    }
  }
  const typeName = typeof type === 'string' ? type : json(type);
  texts.push(`${name}:${typeName}:${withoutFinalDot(stringOf(description))}`);
  if (Object.keys(nested).length > 0) texts.push(json(nested));
  return fixed;
}

function withoutFinalDot(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
