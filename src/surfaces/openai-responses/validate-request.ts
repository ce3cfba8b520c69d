/**
 * Checks a Responses API body before anything else happens: a 400 naming the field for what the
 * API itself would refuse, and for what llmux does not do yet (`background`, `conversation`,
 * `prompt`: they need OpenAI's stored objects). What a target cannot carry
 * is decided later, by the conversion and the provider.
 */
import { GatewayError } from '../../core/errors.ts';
import type { ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import {
  fieldError,
  isObject,
  missing,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalOneOf,
  optionalString,
  requireOneOf,
  requireString,
} from './validate-helpers.ts';
import { validateInputItem } from './validate-input.ts';

/** Fields that name objects kept by OpenAI (conversations, prompts), which llmux does not have. */
const STATEFUL_FIELDS = ['conversation', 'prompt'] as const;

export function validateResponsesRequest(body: unknown): ResponsesRequestBody {
  if (!isObject(body)) {
    throw new GatewayError('invalid_request', 'The request body must be a JSON object.', { reason: 'invalid_json' });
  }
  requireString(body.model, 'model');
  for (const field of STATEFUL_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) {
      throw new GatewayError(
        'unsupported_parameter',
        `Unsupported parameter: '${field}' is not supported yet: llmux keeps no ${field}s; send the whole conversation in 'input' or use 'previous_response_id'.`,
        { param: field, reason: 'unsupported_parameter' },
      );
    }
  }
  if (body.background === true) {
    throw new GatewayError('unsupported_parameter', "Unsupported parameter: 'background' is not supported yet.", {
      param: 'background',
      reason: 'unsupported_parameter',
    });
  }
  validateInput(body.input);
  optionalString(body.instructions, 'instructions');
  validateTools(body.tools);
  validateToolChoice(body.tool_choice);
  optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  validateText(body.text);
  const reasoning = optionalObject(body.reasoning, 'reasoning');
  if (reasoning) {
    optionalOneOf(reasoning.effort, 'reasoning.effort', ['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
    optionalOneOf(reasoning.summary, 'reasoning.summary', ['auto', 'concise', 'detailed']);
  }
  optionalInteger(body.max_output_tokens, 'max_output_tokens', 16);
  optionalNumber(body.temperature, 'temperature', 0, 2);
  optionalNumber(body.top_p, 'top_p', 0, 1);
  validateMetadata(body.metadata);
  for (const [index, value] of (optionalArray(body.include, 'include') ?? []).entries()) {
    requireString(value, `include[${index}]`);
  }
  optionalBoolean(body.store, 'store');
  optionalString(body.previous_response_id, 'previous_response_id');
  optionalBoolean(body.stream, 'stream');
  optionalString(body.user, 'user');
  optionalString(body.service_tier, 'service_tier');
  return body as unknown as ResponsesRequestBody;
}

function validateInput(input: unknown): void {
  if (input === undefined || input === null) throw missing('input');
  if (typeof input === 'string') return;
  if (!Array.isArray(input)) throw fieldError('input', 'expected a string or an array of items.', 'invalid_type');
  input.forEach((item, index) => {
    validateInputItem(item, `input[${index}]`);
  });
}

function validateTools(tools: unknown): void {
  for (const [index, tool] of (optionalArray(tools, 'tools') ?? []).entries()) {
    const path = `tools[${index}]`;
    if (!isObject(tool)) throw fieldError(path, 'expected an object.', 'invalid_type');
    requireString(tool.type, `${path}.type`);
    if (tool.type !== 'function') continue;
    requireString(tool.name, `${path}.name`);
    optionalString(tool.description, `${path}.description`);
    optionalObject(tool.parameters, `${path}.parameters`);
    optionalBoolean(tool.strict, `${path}.strict`);
  }
}

function validateToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (typeof choice === 'string') {
    requireOneOf(choice, 'tool_choice', ['auto', 'none', 'required']);
    return;
  }
  const record = optionalObject(choice, 'tool_choice');
  if (record === undefined) return;
  requireString(record.type, 'tool_choice.type');
  if (record.type === 'function') requireString(record.name, 'tool_choice.name');
}

function validateText(text: unknown): void {
  const record = optionalObject(text, 'text');
  const format = optionalObject(record?.format, 'text.format');
  if (!format) return;
  const type = requireOneOf(format.type, 'text.format.type', ['text', 'json_object', 'json_schema']);
  if (type !== 'json_schema') return;
  requireString(format.name, 'text.format.name');
  if (!isObject(format.schema)) throw missing('text.format.schema');
  optionalString(format.description, 'text.format.description');
  optionalBoolean(format.strict, 'text.format.strict');
}

function validateMetadata(metadata: unknown): void {
  const record = optionalObject(metadata, 'metadata');
  for (const [key, value] of Object.entries(record ?? {})) {
    if (typeof value !== 'string') throw fieldError(`metadata.${key}`, 'expected a string.', 'invalid_type');
  }
}
