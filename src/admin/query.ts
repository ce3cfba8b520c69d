import { badField } from './admin-errors.ts';

export type Query = Record<string, string | string[] | undefined>;

export function queryText(query: Query, name: string): string | undefined {
  const value = query[name];
  const text = Array.isArray(value) ? value[value.length - 1] : value;
  return text === undefined || text === '' ? undefined : text;
}

export function queryInteger(query: Query, name: string, bounds: { min: number; max: number }): number | undefined {
  const text = queryText(query, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < bounds.min || value > bounds.max)
    throw badField(name, `\`${name}\` must be an integer from ${bounds.min} to ${bounds.max}.`);
  return value;
}

/** An ISO 8601 instant or epoch ms, as epoch ms. */
export function queryInstant(query: Query, name: string): number | undefined {
  const text = queryText(query, name);
  return text === undefined ? undefined : parseInstant(text, name);
}

export function parseInstant(value: string | number, name: string): number {
  const ms = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (
    !Number.isFinite(ms) ||
    (typeof value === 'string' && !/^\d+$/.test(value) && !/T|^\d{4}-\d{2}-\d{2}$/.test(value))
  )
    throw badField(name, `\`${name}\` must be an ISO 8601 instant (2026-01-31T00:00:00Z) or epoch milliseconds.`);
  return ms;
}

export function queryChoice<T extends string>(query: Query, name: string, choices: readonly T[]): T | undefined {
  const text = queryText(query, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text))
    throw badField(name, `\`${name}\` must be one of ${choices.join(', ')}.`);
  return text as T;
}

export function queryFlag(query: Query, name: string): boolean {
  const text = queryText(query, name);
  return text === 'true' || text === '1';
}
