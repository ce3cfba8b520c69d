import { GatewayError } from '../../core/errors.ts';

/** Human description of a JSON value's type, as OpenAI words it ("a string", "an integer"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function invalidType(param: string, expected: string, value: unknown): GatewayError {
  if (value === undefined) return missingParam(param);
  return new GatewayError(
    'invalid_request',
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    { param, reason: 'invalid_type' },
  );
}

export function missingParam(param: string): GatewayError {
  return new GatewayError('invalid_request', `Missing required parameter: '${param}'.`, {
    param,
    reason: 'missing_required_parameter',
  });
}

export function invalidValue(param: string, value: unknown, allowed: readonly string[]): GatewayError {
  const shown = typeof value === 'string' ? `'${value.slice(0, 64)}'` : JSON.stringify(value)?.slice(0, 64);
  return new GatewayError(
    'invalid_request',
    `Invalid value for '${param}': ${shown}. Supported values are: ${allowed.map((v) => `'${v}'`).join(', ')}.`,
    { param, reason: 'invalid_value' },
  );
}

export function outOfRange(param: string, value: number, min: number, max: number): GatewayError {
  return new GatewayError(
    'invalid_request',
    `Invalid '${param}': ${value} is out of range; expected a value between ${min} and ${max}.`,
    { param, reason: 'invalid_value' },
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Check = (value: unknown, param: string) => void;

export const optional =
  (check: Check): Check =>
  (value, param) => {
    if (value !== undefined && value !== null) check(value, param);
  };

export const isString: Check = (value, param) => {
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
};

export const isBoolean: Check = (value, param) => {
  if (typeof value !== 'boolean') throw invalidType(param, 'a boolean', value);
};

export function isNumber(min?: number, max?: number): Check {
  return (value, param) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(param, 'a number', value);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      throw outOfRange(param, value, min ?? Number.NEGATIVE_INFINITY, max ?? Number.POSITIVE_INFINITY);
    }
  };
}

/** Largest value of a 32-bit signed integer: the upstreams' type for token counts (Gemini's protos, vLLM). */
export const INT32_MAX = 2 ** 31 - 1;

/** An integer in [min, max]; never beyond ±(2^53 - 1), past which a JSON number no longer holds it exactly. */
export function isInteger(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check {
  return (value, param) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(param, 'an integer', value);
    if (value < min || value > max || !Number.isSafeInteger(value)) throw outOfRange(param, value, min, max);
  };
}

/** True when `text` holds a C0 control character (CR, LF, NUL, ...) or DEL. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A string sent in an HTTP header: printable ASCII only. CR/LF would split the header, and
 * Node refuses (throws on) characters outside Latin-1.
 */
export const isHeaderSafeString: Check = (value, param) => {
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new GatewayError(
      'invalid_request',
      `Invalid value for '${param}': it is sent as an HTTP header and may hold only printable ASCII characters (no CR, LF or other control characters, no non-ASCII).`,
      { param, reason: 'invalid_value' },
    );
  }
};

export function oneOf(allowed: readonly string[]): Check {
  return (value, param) => {
    if (typeof value !== 'string') throw invalidType(param, 'a string', value);
    if (!allowed.includes(value)) throw invalidValue(param, value, allowed);
  };
}

export const isObjectCheck: Check = (value, param) => {
  if (!isObject(value)) throw invalidType(param, 'an object', value);
};

export const isArray: Check = (value, param) => {
  if (!Array.isArray(value)) throw invalidType(param, 'an array', value);
};

export const isStringOrObject: Check = (value, param) => {
  if (typeof value !== 'string' && !isObject(value)) throw invalidType(param, 'a string or an object', value);
};
