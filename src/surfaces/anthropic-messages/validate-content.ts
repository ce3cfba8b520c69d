/**
 * `system` and `messages` of a Messages request: every block type llmux reads is checked field by
 * field; block types it does not read (server-tool results, search results, …) only need a
 * `type`, and go to Anthropic deployments as sent (translation refuses them, to-canonical.ts).
 */
import {
  fieldError,
  optionalBoolean,
  optionalCacheControl,
  optionalString,
  requireArray,
  requireObject,
  requireOneOf,
  requireString,
} from './validate-helpers.ts';

const ROLES = ['user', 'assistant', 'system'] as const;

export function validateSystem(system: unknown): void {
  if (system === undefined || system === null || typeof system === 'string') return;
  if (!Array.isArray(system)) throw fieldError('system', 'Input should be a valid string or list', 'invalid_type');
  system.forEach((block, index) => {
    const path = `system.${index}`;
    const record = requireObject(block, path);
    requireOneOf(record.type, `${path}.type`, ['text']);
    validateBlock(record, path);
  });
}

export function validateMessages(messages: unknown): void {
  const list = requireArray(messages, 'messages');
  list.forEach((message, index) => {
    const path = `messages.${index}`;
    const record = requireObject(message, path);
    requireOneOf(record.role, `${path}.role`, ROLES);
    const content = record.content;
    if (typeof content === 'string') return;
    if (content === undefined) throw fieldError(`${path}.content`, 'Field required', 'missing_required_parameter');
    if (!Array.isArray(content)) {
      throw fieldError(`${path}.content`, 'Input should be a valid string or list', 'invalid_type');
    }
    content.forEach((block, blockIndex) => {
      const blockPath = `${path}.content.${blockIndex}`;
      validateBlock(requireObject(block, blockPath), blockPath);
    });
  });
}

/** One content block (also inside `tool_result.content`). */
export function validateBlock(block: Record<string, unknown>, path: string): void {
  const type = requireString(block.type, `${path}.type`);
  optionalCacheControl(block.cache_control, `${path}.cache_control`);
  switch (type) {
    case 'text':
      requireString(block.text, `${path}.text`);
      if (block.citations !== undefined && block.citations !== null) requireArray(block.citations, `${path}.citations`);
      return;
    case 'image':
      validateSource(block.source, `${path}.source`, ['base64', 'url', 'file']);
      return;
    case 'document':
      validateSource(block.source, `${path}.source`, ['base64', 'text', 'url', 'file', 'content']);
      optionalString(block.title, `${path}.title`);
      optionalString(block.context, `${path}.context`);
      return;
    case 'tool_use':
      requireString(block.id, `${path}.id`);
      requireString(block.name, `${path}.name`);
      requireObject(block.input, `${path}.input`);
      return;
    case 'tool_result':
      validateToolResult(block, path);
      return;
    case 'thinking':
      requireString(block.thinking, `${path}.thinking`);
      requireString(block.signature, `${path}.signature`);
      return;
    case 'redacted_thinking':
      requireString(block.data, `${path}.data`);
      return;
    default:
      // Server-tool blocks and newer types: Anthropic itself judges them on passthrough.
      return;
  }
}

function validateToolResult(block: Record<string, unknown>, path: string): void {
  requireString(block.tool_use_id, `${path}.tool_use_id`);
  optionalBoolean(block.is_error, `${path}.is_error`);
  const content = block.content;
  if (content === undefined || content === null || typeof content === 'string') return;
  if (!Array.isArray(content)) {
    throw fieldError(`${path}.content`, 'Input should be a valid string or list', 'invalid_type');
  }
  content.forEach((item, index) => {
    const itemPath = `${path}.content.${index}`;
    validateBlock(requireObject(item, itemPath), itemPath);
  });
}

function validateSource(source: unknown, path: string, kinds: readonly string[]): void {
  const record = requireObject(source, path);
  const kind = requireOneOf(record.type, `${path}.type`, kinds);
  switch (kind) {
    case 'base64':
      requireString(record.media_type, `${path}.media_type`);
      requireString(record.data, `${path}.data`);
      return;
    case 'text':
      requireString(record.data, `${path}.data`);
      return;
    case 'url':
      requireString(record.url, `${path}.url`);
      return;
    case 'file':
      requireString(record.file_id, `${path}.file_id`);
      return;
    case 'content':
      if (typeof record.content !== 'string' && !Array.isArray(record.content)) {
        throw fieldError(`${path}.content`, 'Input should be a valid string or list', 'invalid_type');
      }
      return;
  }
}
