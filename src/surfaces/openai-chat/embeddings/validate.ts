import { GatewayError } from '../../../core/errors.ts';
import type { JsonObject } from '../../../core/types.ts';
import {
  hasControlCharacter,
  invalidType,
  invalidValue,
  isInteger,
  isObject,
  isString,
  missingParam,
  oneOf,
  optional,
} from '../validate-helpers.ts';

/** `POST /v1/embeddings` as OpenAI documents it; unknown fields are kept and forwarded on passthrough. */
export interface OpenAIEmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64' | null;
  dimensions?: number | null;
  user?: string | null;
  [extra: string]: unknown;
}

/** A validated body and what its input is: texts, or token ids (which only pass through). */
export interface ValidatedEmbeddingRequest {
  body: OpenAIEmbeddingRequest;
  /** The texts to embed; undefined when the input is token ids. */
  texts: string[] | undefined;
  /** Token ids in the input (0 for texts). */
  tokenIds: number;
  /** Fields OpenAI's API does not define, as sent. */
  extraFields: JsonObject;
}

/** OpenAI's limit on inputs per request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const KNOWN_FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);
const INPUT_TYPES = 'a string, an array of strings, an array of integers or an array of integer arrays';

export function validateEmbeddingRequest(body: unknown): ValidatedEmbeddingRequest {
  if (!isObject(body)) throw invalidType('body', 'a JSON object', body);
  if (body.model === undefined || body.model === null) throw missingParam('model');
  if (typeof body.model !== 'string') throw invalidType('model', 'a string', body.model);
  if (body.model.length === 0) throw invalidValue('model', '', ['a non-empty model name']);
  if (hasControlCharacter(body.model)) throw invalidValue('model', body.model, ['a name without control characters']);
  if (body.input === undefined || body.input === null) throw missingParam('input');
  optional(oneOf(['float', 'base64']))(body.encoding_format, 'encoding_format');
  optional(isInteger(1, 65_536))(body.dimensions, 'dimensions');
  optional(isString)(body.user, 'user');
  const { texts, tokenIds } = readInput(body.input);
  const extraFields: JsonObject = {};
  for (const [field, value] of Object.entries(body)) {
    if (!KNOWN_FIELDS.has(field)) extraFields[field] = value as JsonObject[string];
  }
  return { body: body as OpenAIEmbeddingRequest, texts, tokenIds, extraFields };
}

function readInput(input: unknown): { texts: string[] | undefined; tokenIds: number } {
  if (typeof input === 'string') return { texts: [nonEmpty(input, 'input')], tokenIds: 0 };
  if (!Array.isArray(input)) throw invalidType('input', INPUT_TYPES, input);
  if (input.length === 0) throw invalidValue('input', [], ['a non-empty array']);
  if (input.length > MAX_EMBEDDING_INPUTS) {
    throw new GatewayError(
      'invalid_request',
      `Invalid 'input': ${input.length} inputs; at most ${MAX_EMBEDDING_INPUTS} are accepted in one request.`,
      { param: 'input', reason: 'invalid_value' },
    );
  }
  if (typeof input[0] === 'string') {
    for (const [i, item] of input.entries()) {
      if (typeof item !== 'string') throw invalidType(`input[${i}]`, 'a string', item);
      nonEmpty(item, `input[${i}]`);
    }
    return { texts: input as string[], tokenIds: 0 };
  }
  if (typeof input[0] === 'number') {
    for (const [i, item] of input.entries()) {
      if (!isTokenId(item)) throw invalidType(`input[${i}]`, 'a token id (a non-negative integer)', item);
    }
    return { texts: undefined, tokenIds: input.length };
  }
  let tokenIds = 0;
  for (const [i, item] of input.entries()) {
    if (!Array.isArray(item) || !item.every(isTokenId)) throw invalidType(`input[${i}]`, INPUT_TYPES, item);
    if (item.length === 0) throw invalidValue(`input[${i}]`, [], ['a non-empty array of token ids']);
    tokenIds += item.length;
  }
  return { texts: undefined, tokenIds };
}

function nonEmpty(text: string, param: string): string {
  if (text.length === 0) throw invalidValue(param, '', ['a non-empty string']);
  return text;
}

function isTokenId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
