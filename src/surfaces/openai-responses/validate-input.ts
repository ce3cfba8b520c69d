/**
 * One input item of a Responses request: a message (`type: "message"` or no type, content a
 * string or parts), `function_call`, `function_call_output`, `reasoning`. Other item types
 * (built-in tool calls, custom tool calls, compaction, item references) are refused with a 400
 * naming the item: they need OpenAI or stored state.
 */
import { GatewayError } from '../../core/errors.ts';
import {
  fieldError,
  isObject,
  missing,
  optionalArray,
  optionalString,
  requireOneOf,
  requireString,
} from './validate-helpers.ts';

const ROLES = ['user', 'assistant', 'system', 'developer'] as const;
const USER_PARTS = ['input_text', 'input_image', 'input_file'] as const;
const ASSISTANT_PARTS = ['output_text', 'refusal', 'input_text'] as const;

export function validateInputItem(item: unknown, path: string): void {
  if (!isObject(item)) throw fieldError(path, 'expected an object.', 'invalid_type');
  const type = item.type ?? 'message';
  switch (type) {
    case 'message':
      validateMessage(item, path);
      return;
    case 'function_call':
      requireString(item.call_id, `${path}.call_id`);
      requireString(item.name, `${path}.name`);
      requireString(item.arguments, `${path}.arguments`);
      return;
    case 'function_call_output':
      requireString(item.call_id, `${path}.call_id`);
      validateToolOutput(item.output, `${path}.output`);
      return;
    case 'reasoning':
      for (const [index, part] of (optionalArray(item.summary, `${path}.summary`) ?? []).entries()) {
        if (!isObject(part)) throw fieldError(`${path}.summary[${index}]`, 'expected an object.', 'invalid_type');
        requireString(part.text, `${path}.summary[${index}].text`);
      }
      optionalString(item.encrypted_content, `${path}.encrypted_content`);
      return;
    default:
      throw new GatewayError(
        'invalid_request',
        `Invalid '${path}.type': items of type '${String(type).slice(0, 64)}' are not supported by llmux yet (supported: message, function_call, function_call_output, reasoning).`,
        { param: `${path}.type`, reason: 'unsupported_value' },
      );
  }
}

function validateMessage(item: Record<string, unknown>, path: string): void {
  const role = requireOneOf(item.role, `${path}.role`, ROLES);
  const content = item.content;
  if (content === undefined || content === null) throw missing(`${path}.content`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw fieldError(`${path}.content`, 'expected a string or an array.', 'invalid_type');
  const allowed: readonly string[] = role === 'assistant' ? ASSISTANT_PARTS : USER_PARTS;
  content.forEach((part, index) => {
    validatePart(part, `${path}.content[${index}]`, allowed);
  });
}

function validatePart(part: unknown, path: string, allowed: readonly string[]): void {
  if (!isObject(part)) throw fieldError(path, 'expected an object.', 'invalid_type');
  const type = requireOneOf(part.type, `${path}.type`, allowed);
  switch (type) {
    case 'input_text':
    case 'output_text':
      requireString(part.text, `${path}.text`);
      return;
    case 'refusal':
      requireString(part.refusal, `${path}.refusal`);
      return;
    case 'input_image':
      if (typeof part.image_url !== 'string' && typeof part.file_id !== 'string') throw missing(`${path}.image_url`);
      return;
    case 'input_file':
      if (typeof part.file_data !== 'string' && typeof part.file_url !== 'string' && typeof part.file_id !== 'string') {
        throw missing(`${path}.file_data`);
      }
      optionalString(part.filename, `${path}.filename`);
      return;
  }
}

function validateToolOutput(output: unknown, path: string): void {
  if (output === undefined || output === null) throw missing(path);
  if (typeof output === 'string') return;
  if (!Array.isArray(output)) throw fieldError(path, 'expected a string or an array.', 'invalid_type');
  output.forEach((part, index) => {
    validatePart(part, `${path}[${index}]`, USER_PARTS);
  });
}
