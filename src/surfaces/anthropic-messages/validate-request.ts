/**
 * Checks an Anthropic Messages request (`POST /v1/messages`, and `count_tokens` without
 * `max_tokens`). Throws a 400 naming the first bad field. Unknown top-level fields are allowed:
 * they go to Anthropic deployments as sent, and translation decides about them (to-canonical.ts).
 */
import { nestedDeeperThan } from '../../lib/json.ts';
import type { AnthropicRequestBody } from '../../protocols/anthropic-messages.ts';
import { validateMessages, validateSystem } from './validate-content.ts';
import {
  fieldError,
  optionalBoolean,
  optionalCacheControl,
  optionalNumber,
  optionalString,
  requireArray,
  requireInteger,
  requireObject,
  requireOneOf,
  requireString,
} from './validate-helpers.ts';

/** Deepest nesting of arrays and objects accepted (as on the chat surface). */
const MAX_BODY_DEPTH = 128;
const INT32_MAX = 2_147_483_647;

export interface ValidateOptions {
  /** `count_tokens` takes the request without `max_tokens`. */
  maxTokensRequired: boolean;
}

export function validateMessagesRequest(
  body: unknown,
  options: ValidateOptions = { maxTokensRequired: true },
): AnthropicRequestBody {
  const record = requireObject(body, 'body');
  for (const [field, value] of Object.entries(record)) {
    if (nestedDeeperThan(value, MAX_BODY_DEPTH - 1)) {
      throw fieldError(field, `nested deeper than ${MAX_BODY_DEPTH} levels of arrays and objects`);
    }
  }
  const model = requireString(record.model, 'model');
  if (model === '') throw fieldError('model', 'String should have at least 1 character');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(model)) throw fieldError('model', 'must not contain control characters');
  validateMessages(record.messages);
  if (options.maxTokensRequired || record.max_tokens !== undefined) {
    requireInteger(record.max_tokens, 'max_tokens', 1, INT32_MAX);
  }
  validateSystem(record.system);
  optionalBoolean(record.stream, 'stream');
  optionalNumber(record.temperature, 'temperature', 0, 1);
  optionalNumber(record.top_p, 'top_p', 0, 1);
  if (record.top_k !== undefined && record.top_k !== null) requireInteger(record.top_k, 'top_k', 0);
  validateStopSequences(record.stop_sequences);
  validateMetadata(record.metadata);
  if (record.service_tier !== undefined && record.service_tier !== null) {
    requireOneOf(record.service_tier, 'service_tier', ['auto', 'standard_only']);
  }
  validateTools(record.tools);
  validateToolChoice(record.tool_choice);
  validateThinking(record.thinking);
  validateOutputConfig(record.output_config);
  return record as AnthropicRequestBody;
}

function validateStopSequences(value: unknown): void {
  if (value === undefined || value === null) return;
  requireArray(value, 'stop_sequences').forEach((item, index) => {
    requireString(item, `stop_sequences.${index}`);
  });
}

function validateMetadata(value: unknown): void {
  if (value === undefined || value === null) return;
  const metadata = requireObject(value, 'metadata');
  optionalString(metadata.user_id, 'metadata.user_id');
}

/** Custom tools (`type` absent or `custom`) are checked; server tools (`web_search_…`, …) need a name. */
function validateTools(value: unknown): void {
  if (value === undefined || value === null) return;
  requireArray(value, 'tools').forEach((item, index) => {
    const path = `tools.${index}`;
    const tool = requireObject(item, path);
    requireString(tool.name, `${path}.name`);
    optionalCacheControl(tool.cache_control, `${path}.cache_control`);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      requireString(tool.type, `${path}.type`);
      return;
    }
    optionalString(tool.description, `${path}.description`);
    requireObject(tool.input_schema, `${path}.input_schema`);
    optionalBoolean(tool.strict, `${path}.strict`);
    optionalBoolean(tool.defer_loading, `${path}.defer_loading`);
  });
}

function validateToolChoice(value: unknown): void {
  if (value === undefined || value === null) return;
  const choice = requireObject(value, 'tool_choice');
  const type = requireOneOf(choice.type, 'tool_choice.type', ['auto', 'any', 'tool', 'none']);
  if (type === 'tool') requireString(choice.name, 'tool_choice.name');
  optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
}

function validateThinking(value: unknown): void {
  if (value === undefined || value === null) return;
  const thinking = requireObject(value, 'thinking');
  const type = requireOneOf(thinking.type, 'thinking.type', ['enabled', 'adaptive', 'disabled']);
  if (type === 'enabled') requireInteger(thinking.budget_tokens, 'thinking.budget_tokens', 1024, INT32_MAX);
  optionalString(thinking.display, 'thinking.display');
}

function validateOutputConfig(value: unknown): void {
  if (value === undefined || value === null) return;
  const config = requireObject(value, 'output_config');
  optionalString(config.effort, 'output_config.effort');
  if (config.format === undefined || config.format === null) return;
  const format = requireObject(config.format, 'output_config.format');
  requireOneOf(format.type, 'output_config.format.type', ['json_schema']);
  requireObject(format.schema, 'output_config.format.schema');
}
