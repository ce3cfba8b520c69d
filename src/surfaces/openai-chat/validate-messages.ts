import { GatewayError } from '../../core/errors.ts';
import { invalidType, isObject, isObjectCheck, isString, missingParam, oneOf, optional } from './validate-helpers.ts';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
const USER_PART_TYPES = ['text', 'image_url', 'input_audio', 'file'] as const;
const ASSISTANT_PART_TYPES = ['text', 'refusal'] as const;
const TEXT_ONLY = ['text'] as const;

export function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages)) throw invalidType('messages', 'an array', messages);
  if (messages.length === 0) {
    throw new GatewayError(
      'invalid_request',
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      { param: 'messages', reason: 'empty_array' },
    );
  }
  messages.forEach((message, i) => {
    validateMessage(message, `messages[${i}]`);
  });
}

function validateMessage(message: unknown, param: string): void {
  isObjectCheck(message, param);
  const record = message as Record<string, unknown>;
  if (record.role === undefined) throw missingParam(`${param}.role`);
  oneOf(ROLES)(record.role, `${param}.role`);
  optional(isString)(record.name, `${param}.name`);
  const content = record.content;
  switch (record.role) {
    case 'system':
    case 'developer':
      requireContent(content, param);
      validateContent(content, `${param}.content`, TEXT_ONLY);
      break;
    case 'user':
      requireContent(content, param);
      validateContent(content, `${param}.content`, USER_PART_TYPES);
      break;
    case 'assistant':
      if (content !== undefined && content !== null) validateContent(content, `${param}.content`, ASSISTANT_PART_TYPES);
      optional(isString)(record.refusal, `${param}.refusal`);
      optional(isObjectCheck)(record.audio, `${param}.audio`);
      optional(isObjectCheck)(record.function_call, `${param}.function_call`);
      validateToolCalls(record.tool_calls, `${param}.tool_calls`);
      break;
    case 'tool':
      if (record.tool_call_id === undefined) throw missingParam(`${param}.tool_call_id`);
      isString(record.tool_call_id, `${param}.tool_call_id`);
      requireContent(content, param);
      validateContent(content, `${param}.content`, TEXT_ONLY);
      break;
    case 'function':
      isString(record.name, `${param}.name`);
      optional(isString)(content, `${param}.content`);
      break;
  }
}

function requireContent(content: unknown, param: string): void {
  if (content === undefined || content === null) throw missingParam(`${param}.content`);
}

function validateContent(content: unknown, param: string, partTypes: readonly string[]): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalidType(param, 'a string or an array of content parts', content);
  content.forEach((part, i) => {
    validatePart(part, `${param}[${i}]`, partTypes);
  });
}

function validatePart(part: unknown, param: string, partTypes: readonly string[]): void {
  isObjectCheck(part, param);
  const record = part as Record<string, unknown>;
  oneOf(partTypes)(record.type, `${param}.type`);
  switch (record.type) {
    case 'text':
      isString(record.text, `${param}.text`);
      break;
    case 'refusal':
      isString(record.refusal, `${param}.refusal`);
      break;
    case 'image_url': {
      if (!isObject(record.image_url)) throw invalidType(`${param}.image_url`, 'an object', record.image_url);
      isString(record.image_url.url, `${param}.image_url.url`);
      optional(oneOf(['auto', 'low', 'high']))(record.image_url.detail, `${param}.image_url.detail`);
      break;
    }
    case 'input_audio': {
      if (!isObject(record.input_audio)) throw invalidType(`${param}.input_audio`, 'an object', record.input_audio);
      isString(record.input_audio.data, `${param}.input_audio.data`);
      isString(record.input_audio.format, `${param}.input_audio.format`);
      break;
    }
    case 'file': {
      if (!isObject(record.file)) throw invalidType(`${param}.file`, 'an object', record.file);
      optional(isString)(record.file.file_data, `${param}.file.file_data`);
      optional(isString)(record.file.file_id, `${param}.file.file_id`);
      optional(isString)(record.file.filename, `${param}.file.filename`);
      break;
    }
  }
}

function validateToolCalls(toolCalls: unknown, param: string): void {
  if (toolCalls === undefined || toolCalls === null) return;
  if (!Array.isArray(toolCalls)) throw invalidType(param, 'an array', toolCalls);
  toolCalls.forEach((call, i) => {
    const at = `${param}[${i}]`;
    isObjectCheck(call, at);
    const record = call as Record<string, unknown>;
    isString(record.id, `${at}.id`);
    optional(oneOf(['function', 'custom']))(record.type, `${at}.type`);
    if (record.type === 'custom') return;
    if (!isObject(record.function)) throw invalidType(`${at}.function`, 'an object', record.function);
    isString(record.function.name, `${at}.function.name`);
    isString(record.function.arguments, `${at}.function.arguments`);
  });
}
