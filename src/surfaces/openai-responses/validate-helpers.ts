/**
 * Field checks in OpenAI's words: a 400 `invalid_request_error` naming the field as OpenAI does
 * (`input[2].call_id`), with `param` set to that path.
 */
import { GatewayError } from '../../core/errors.ts';

export function fieldError(path: string, problem: string, reason = 'invalid_value'): GatewayError {
  return new GatewayError('invalid_request', `Invalid '${path}': ${problem}`, { param: path, reason });
}

export function missing(path: string): GatewayError {
  return new GatewayError('invalid_request', `Missing required parameter: '${path}'.`, {
    param: path,
    reason: 'missing_required_parameter',
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const absent = (value: unknown): boolean => value === undefined || value === null;

export function requireString(value: unknown, path: string): string {
  if (absent(value)) throw missing(path);
  if (typeof value !== 'string') throw fieldError(path, 'expected a string.', 'invalid_type');
  return value;
}

export function optionalString(value: unknown, path: string): void {
  if (!absent(value)) requireString(value, path);
}

export function optionalBoolean(value: unknown, path: string): void {
  if (!absent(value) && typeof value !== 'boolean') throw fieldError(path, 'expected a boolean.', 'invalid_type');
}

export function optionalObject(value: unknown, path: string): Record<string, unknown> | undefined {
  if (absent(value)) return undefined;
  if (!isObject(value)) throw fieldError(path, 'expected an object.', 'invalid_type');
  return value;
}

export function optionalArray(value: unknown, path: string): unknown[] | undefined {
  if (absent(value)) return undefined;
  if (!Array.isArray(value)) throw fieldError(path, 'expected an array.', 'invalid_type');
  return value;
}

export function optionalNumber(value: unknown, path: string, min: number, max: number): void {
  if (absent(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw fieldError(path, 'expected a number.', 'invalid_type');
  if (value < min)
    throw fieldError(path, `expected a value >= ${min}, but got ${value} instead.`, 'decimal_below_min_value');
  if (value > max)
    throw fieldError(path, `expected a value <= ${max}, but got ${value} instead.`, 'decimal_above_max_value');
}

export function optionalInteger(value: unknown, path: string, min: number): void {
  if (absent(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw fieldError(path, 'expected an integer.', 'invalid_type');
  if (value < min)
    throw fieldError(path, `expected a value >= ${min}, but got ${value} instead.`, 'integer_below_min_value');
}

export function requireOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (absent(value)) throw missing(path);
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `'${value.slice(0, 64)}'` : JSON.stringify(value)?.slice(0, 64);
  throw fieldError(path, `expected one of ${allowed.map((v) => `'${v}'`).join(', ')}, but got ${shown} instead.`);
}

export function optionalOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
  return absent(value) ? undefined : requireOneOf(value, path, allowed);
}
