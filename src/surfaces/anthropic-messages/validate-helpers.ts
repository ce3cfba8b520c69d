/**
 * Field checks in Anthropic's words: a 400 `invalid_request_error` whose message starts with the
 * dotted path of the bad field (`messages.0.content.1.source.data: Field required`), as the
 * Messages API writes it; `param` carries the same path.
 */
import { GatewayError } from '../../core/errors.ts';

export function fieldError(path: string, problem: string, reason = 'invalid_value'): GatewayError {
  return new GatewayError('invalid_request', `${path}: ${problem}`, { param: path, reason });
}

export function missing(path: string): GatewayError {
  return fieldError(path, 'Field required', 'missing_required_parameter');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined) throw missing(path);
  if (!isObject(value)) throw fieldError(path, 'Input should be a valid dictionary', 'invalid_type');
  return value;
}

export function requireString(value: unknown, path: string): string {
  if (value === undefined) throw missing(path);
  if (typeof value !== 'string') throw fieldError(path, 'Input should be a valid string', 'invalid_type');
  return value;
}

export function requireArray(value: unknown, path: string): unknown[] {
  if (value === undefined) throw missing(path);
  if (!Array.isArray(value)) throw fieldError(path, 'Input should be a valid list', 'invalid_type');
  return value;
}

export function optionalString(value: unknown, path: string): void {
  if (value !== undefined && value !== null) requireString(value, path);
}

export function optionalBoolean(value: unknown, path: string): void {
  if (value === undefined || value === null || typeof value === 'boolean') return;
  throw fieldError(path, 'Input should be a valid boolean', 'invalid_type');
}

export function requireInteger(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) throw missing(path);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw fieldError(path, 'Input should be a valid integer', 'invalid_type');
  }
  if (value < min) throw fieldError(path, `Input should be greater than or equal to ${min}`);
  if (value > max) throw fieldError(path, `Input should be less than or equal to ${max}`);
  return value;
}

export function optionalNumber(value: unknown, path: string, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw fieldError(path, 'Input should be a valid number', 'invalid_type');
  }
  if (value < min) throw fieldError(path, `Input should be greater than or equal to ${min}`);
  if (value > max) throw fieldError(path, `Input should be less than or equal to ${max}`);
}

export function requireOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (value === undefined) throw missing(path);
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `'${value.slice(0, 64)}'` : JSON.stringify(value)?.slice(0, 64);
  throw fieldError(path, `Input should be ${allowed.map((v) => `'${v}'`).join(', ')} (got ${shown})`);
}

/** `cache_control: {type: 'ephemeral', ttl?: '5m' | '1h'}` wherever a block or tool may carry it. */
export function optionalCacheControl(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  const record = requireObject(value, path);
  requireOneOf(record.type, `${path}.type`, ['ephemeral']);
  optionalString(record.ttl, `${path}.ttl`);
}
