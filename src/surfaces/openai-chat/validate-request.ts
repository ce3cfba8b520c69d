import { GatewayError } from '../../core/errors.ts';
import { nestedDeeperThan } from '../../lib/json.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import {
  hasControlCharacter,
  INT32_MAX,
  invalidType,
  invalidValue,
  isArray,
  isBoolean,
  isInteger,
  isNumber,
  isObject,
  isObjectCheck,
  isString,
  isStringOrObject,
  missingParam,
  oneOf,
  optional,
} from './validate-helpers.ts';
import { validateMessages } from './validate-messages.ts';
import { validateProviderOptions } from './validate-provider-options.ts';

const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

/** OpenAI's maximum for `n`; `server.maxChoices` usually lowers it (llmux fans n out on Claude). */
const MAX_N = 128;

/**
 * Deepest nesting of arrays and objects accepted in a body (the body itself is level 1). Far above
 * what real requests use (a JSON schema 10 levels deep under `response_format` needs fewer than 40),
 * far below what breaks JSON.stringify (about 10,000).
 */
export const MAX_BODY_DEPTH = 128;

/** Limits from the server config. */
export interface ChatRequestLimits {
  /** Largest `n` accepted (`server.maxChoices`). */
  maxChoices?: number | undefined;
}

/** Top-level scalar fields: checks run only when the field is present and not null. */
const FIELD_CHECKS: Record<string, (value: unknown, param: string) => void> = {
  stream: isBoolean,
  temperature: isNumber(0, 2),
  top_p: isNumber(0, 1),
  n: isInteger(1, MAX_N),
  max_tokens: isInteger(1, INT32_MAX),
  max_completion_tokens: isInteger(1, INT32_MAX),
  presence_penalty: isNumber(-2, 2),
  frequency_penalty: isNumber(-2, 2),
  user: isString,
  seed: isInteger(),
  parallel_tool_calls: isBoolean,
  logprobs: isBoolean,
  top_logprobs: isInteger(0, 20),
  reasoning_effort: oneOf(REASONING_EFFORTS),
  service_tier: isString,
  safety_identifier: isString,
  prompt_cache_key: isString,
  store: isBoolean,
  // Documented fields llmux only forwards: shallow type checks, so a wrong type is a 400 naming the field.
  modalities: isArray,
  verbosity: isString,
  audio: isObjectCheck,
  web_search_options: isObjectCheck,
  prediction: isObjectCheck,
  prompt_cache_retention: isString,
  prompt_cache_options: isObjectCheck,
  moderation: isObjectCheck,
  functions: isArray,
  function_call: isStringOrObject,
};

/**
 * Checks an OpenAI chat request. Throws a GatewayError (400) naming the first bad field. Unknown
 * fields are allowed: they are forwarded to OpenAI-compatible upstreams untouched.
 */
export function validateChatRequest(body: unknown, limits: ChatRequestLimits = {}): OpenAIChatRequest {
  if (!isObject(body)) throw invalidType('body', 'a JSON object', body);
  validateNesting(body);
  if (body.model === undefined || body.model === null) throw missingParam('model');
  if (typeof body.model !== 'string') throw invalidType('model', 'a string', body.model);
  if (body.model.length === 0) throw invalidValue('model', '', ['a non-empty model name']);
  if (hasControlCharacter(body.model)) throw invalidValue('model', body.model, ['a name without control characters']);
  if (body.messages === undefined || body.messages === null) throw missingParam('messages');
  validateMessages(body.messages);

  for (const field in FIELD_CHECKS) {
    const value = body[field];
    if (value !== undefined && value !== null) FIELD_CHECKS[field]?.(value, field);
  }
  validateChoiceCount(body.n, limits.maxChoices);
  validateStop(body.stop);
  validateStreamOptions(body.stream_options);
  validateLogitBias(body.logit_bias);
  validateMetadata(body.metadata);
  validateResponseFormat(body.response_format);
  validateTools(body.tools);
  validateToolChoice(body.tool_choice);
  validateThinking(body.thinking);
  validateProviderOptions(body.provider_options);
  return body as OpenAIChatRequest;
}

/** Names the top-level field (or array element of it) that nests deeper than MAX_BODY_DEPTH. */
function validateNesting(body: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(body)) {
    if (!nestedDeeperThan(value, MAX_BODY_DEPTH - 1)) continue;
    const index = Array.isArray(value) ? value.findIndex((item) => nestedDeeperThan(item, MAX_BODY_DEPTH - 2)) : -1;
    const param = index >= 0 ? `${field}[${index}]` : field;
    throw new GatewayError(
      'invalid_request',
      `Invalid '${param}': nested deeper than ${MAX_BODY_DEPTH} levels of arrays and objects.`,
      { param, reason: 'invalid_value' },
    );
  }
}

/** Each choice past the first may be one more upstream request (n on Claude): the operator caps it. */
function validateChoiceCount(n: unknown, maxChoices: number | undefined): void {
  if (typeof n !== 'number' || maxChoices === undefined || n <= maxChoices) return;
  throw new GatewayError(
    'invalid_request',
    `Invalid 'n': ${n} is out of range; this gateway allows at most ${maxChoices} choices per request.`,
    { param: 'n', reason: 'invalid_value' },
  );
}

function validateStop(stop: unknown): void {
  if (stop === undefined || stop === null || typeof stop === 'string') return;
  if (!Array.isArray(stop)) throw invalidType('stop', 'a string or an array of strings', stop);
  stop.forEach((item, i) => {
    isString(item, `stop[${i}]`);
  });
}

function validateStreamOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  isObjectCheck(options, 'stream_options');
  const record = options as Record<string, unknown>;
  optional(isBoolean)(record.include_usage, 'stream_options.include_usage');
  optional(isBoolean)(record.include_obfuscation, 'stream_options.include_obfuscation');
}

function validateLogitBias(bias: unknown): void {
  if (bias === undefined || bias === null) return;
  isObjectCheck(bias, 'logit_bias');
  for (const [token, value] of Object.entries(bias as Record<string, unknown>)) {
    isNumber(-100, 100)(value, `logit_bias.${token}`);
  }
}

function validateMetadata(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return;
  isObjectCheck(metadata, 'metadata');
  for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) isString(value, `metadata.${key}`);
}

function validateResponseFormat(format: unknown): void {
  if (format === undefined || format === null) return;
  isObjectCheck(format, 'response_format');
  const record = format as Record<string, unknown>;
  oneOf(['text', 'json_object', 'json_schema'])(record.type, 'response_format.type');
  if (record.type !== 'json_schema') return;
  const schema = record.json_schema;
  if (schema === undefined || schema === null) throw missingParam('response_format.json_schema');
  isObjectCheck(schema, 'response_format.json_schema');
  const spec = schema as Record<string, unknown>;
  if (spec.name === undefined) throw missingParam('response_format.json_schema.name');
  isString(spec.name, 'response_format.json_schema.name');
  optional(isString)(spec.description, 'response_format.json_schema.description');
  optional(isObjectCheck)(spec.schema, 'response_format.json_schema.schema');
  optional(isBoolean)(spec.strict, 'response_format.json_schema.strict');
}

function validateTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalidType('tools', 'an array', tools);
  tools.forEach((tool, i) => {
    const param = `tools[${i}]`;
    isObjectCheck(tool, param);
    const record = tool as Record<string, unknown>;
    oneOf(['function', 'custom'])(record.type, `${param}.type`);
    if (record.type === 'custom') {
      if (!isObject(record.custom)) throw missingParam(`${param}.custom`);
      isString(record.custom.name, `${param}.custom.name`);
      return;
    }
    if (record.function === undefined) throw missingParam(`${param}.function`);
    isObjectCheck(record.function, `${param}.function`);
    const fn = record.function as Record<string, unknown>;
    if (fn.name === undefined) throw missingParam(`${param}.function.name`);
    isString(fn.name, `${param}.function.name`);
    optional(isString)(fn.description, `${param}.function.description`);
    optional(isObjectCheck)(fn.parameters, `${param}.function.parameters`);
    optional(isBoolean)(fn.strict, `${param}.function.strict`);
  });
}

function validateToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (typeof choice === 'string') {
    oneOf(['auto', 'none', 'required'])(choice, 'tool_choice');
    return;
  }
  if (!isObject(choice)) throw invalidType('tool_choice', "'auto', 'none', 'required' or an object", choice);
  oneOf(['function', 'allowed_tools', 'custom'])(choice.type, 'tool_choice.type');
  if (choice.type === 'function') {
    if (!isObject(choice.function)) throw missingParam('tool_choice.function');
    isString(choice.function.name, 'tool_choice.function.name');
  }
}

/** Anthropic-style `thinking` accepted on the OpenAI surface: `{type: 'enabled' | 'adaptive' | 'disabled', budget_tokens?}`. */
function validateThinking(thinking: unknown): void {
  if (thinking === undefined || thinking === null) return;
  isObjectCheck(thinking, 'thinking');
  const record = thinking as Record<string, unknown>;
  oneOf(['enabled', 'adaptive', 'disabled'])(record.type, 'thinking.type');
  optional(isInteger(1, INT32_MAX))(record.budget_tokens, 'thinking.budget_tokens');
}
