/**
 * One input item of a Responses request: a message (`type: "message"` or no type, content a
 * string or parts), `function_call`, `function_call_output`, `custom_tool_call`,
 * `custom_tool_call_output`, `reasoning`, and Codex's `additional_tools` (tools offered as an
 * item). Other item types (built-in tool calls, compaction, item references) need OpenAI: they
 * pass through to it, and the conversion for any other target refuses them with a 400 naming the item.
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
    case 'custom_tool_call_output':
      requireString(item.call_id, `${path}.call_id`);
      validateToolOutput(item.output, `${path}.output`);
      return;
    case 'custom_tool_call':
      requireString(item.call_id, `${path}.call_id`);
      requireString(item.name, `${path}.name`);
      requireString(item.input, `${path}.input`);
      return;
    case 'additional_tools':
      validateAdditionalTools(item.tools, `${path}.tools`);
      return;
    case 'reasoning':
      for (const [index, part] of (optionalArray(item.summary, `${path}.summary`) ?? []).entries()) {
        if (!isObject(part)) throw fieldError(`${path}.summary[${index}]`, 'expected an object.', 'invalid_type');
        requireString(part.text, `${path}.summary[${index}].text`);
      }
      optionalString(item.encrypted_content, `${path}.encrypted_content`);
      return;
    default:
      // Other item types go to OpenAI as they are; a translated target refuses them (to-canonical-input.ts).
      if (typeof type !== 'string') throw fieldError(`${path}.type`, 'expected a string.', 'invalid_type');
  }
}

/** A 400 for an item only OpenAI understands (built-in tool calls, item references, compaction), on a translated target. */
export function unsupportedItem(type: unknown, path: string): GatewayError {
  return new GatewayError(
    'invalid_request',
    `Invalid '${path}.type': items of type '${String(type).slice(0, 64)}' are not supported by llmux yet for a model not served by OpenAI (supported: message, function_call, function_call_output, custom_tool_call, custom_tool_call_output, reasoning, additional_tools).`,
    { param: `${path}.type`, reason: 'unsupported_value' },
  );
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

/** Tools offered as an input item: an array of tool objects, each with a `type` (a function or custom one named). */
function validateAdditionalTools(tools: unknown, path: string): void {
  if (tools === undefined || tools === null) throw missing(path);
  if (!Array.isArray(tools)) throw fieldError(path, 'expected an array.', 'invalid_type');
  tools.forEach((tool, index) => {
    validateTool(tool, `${path}[${index}]`);
  });
}

function validateTool(tool: unknown, path: string): void {
  if (!isObject(tool)) throw fieldError(path, 'expected an object.', 'invalid_type');
  const type = requireString(tool.type, `${path}.type`);
  if (type === 'function' || type === 'custom') requireString(tool.name, `${path}.name`);
  if (type === 'namespace') {
    const inner = optionalArray(tool.tools, `${path}.tools`) ?? [];
    inner.forEach((entry, index) => {
      validateTool(entry, `${path}.tools[${index}]`);
    });
  }
}
