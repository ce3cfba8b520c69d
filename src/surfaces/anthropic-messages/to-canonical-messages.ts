/**
 * Anthropic `system` and `messages` → canonical messages.
 *
 * - `system` (string or text blocks) and `role: "system"` entries inside `messages` (Claude Code
 *   sends them) become system messages, in place.
 * - A user turn's `tool_result` blocks become `tool` messages (one each, in order, named after the
 *   `tool_use` they answer), followed by the rest of the turn as a user message.
 * - Assistant `thinking` / `redacted_thinking` become reasoning parts with the signature llmux
 *   carried in them (`signature-carrier.ts`) / data; tool_use ids give back their call's signature,
 *   `tool_use` becomes a tool call with its input as JSON text.
 * - `cache_control` becomes the part's cache hint; `document` blocks become file parts.
 * Blocks the canonical model has no part for (server-tool blocks, search results) are refused:
 * they can only go to Anthropic, which gets the body as sent.
 */
import { GatewayError } from '../../core/errors.ts';
import type {
  CacheHint,
  FilePart,
  ImagePart,
  Message,
  Part,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from '../../core/types.ts';
import type { AnthropicCacheControl } from '../../protocols/anthropic-messages.ts';
import { carriedThinkingSignature, splitToolUseId } from './signature-carrier.ts';
import { isObject } from './validate-helpers.ts';

type Block = Record<string, unknown>;

export function systemToCanonical(system: unknown): Message[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string')
    return system === '' ? [] : [{ role: 'system', parts: [{ type: 'text', text: system }] }];
  const parts = (system as Block[]).map((block) => textPart(block));
  return parts.length === 0 ? [] : [{ role: 'system', parts }];
}

export function messagesToCanonical(messages: readonly Block[]): Message[] {
  const toolNames = new Map<string, string>();
  const out: Message[] = [];
  messages.forEach((message, index) => {
    const path = `messages.${index}.content`;
    const blocks = contentBlocks(message.content);
    if (message.role === 'system') {
      out.push({ role: 'system', parts: blocks.map((block, i) => onlyText(block, `${path}.${i}`)) });
    } else if (message.role === 'assistant') {
      out.push({ role: 'assistant', parts: blocks.map((block, i) => assistantPart(block, `${path}.${i}`, toolNames)) });
    } else {
      out.push(...userMessages(blocks, path, toolNames));
    }
  });
  return out;
}

function contentBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content as Block[];
}

function userMessages(blocks: Block[], path: string, toolNames: Map<string, string>): Message[] {
  const results: Message[] = [];
  const parts: Part[] = [];
  blocks.forEach((block, i) => {
    if (block.type === 'tool_result') {
      results.push({ role: 'tool', parts: [toolResultPart(block, `${path}.${i}`, toolNames)] });
    } else {
      parts.push(userPart(block, `${path}.${i}`));
    }
  });
  return parts.length > 0 || results.length === 0 ? [...results, { role: 'user', parts }] : results;
}

function userPart(block: Block, path: string): TextPart | ImagePart | FilePart {
  switch (block.type) {
    case 'text':
      return textPart(block);
    case 'image':
      return imagePart(block, path);
    case 'document':
      return documentPart(block, path);
    default:
      throw untranslatable(block, path);
  }
}

function assistantPart(block: Block, path: string, toolNames: Map<string, string>): Part {
  switch (block.type) {
    case 'text':
      return textPart(block);
    case 'thinking': {
      // Only what llmux carried is restored: Claude's own signatures mean nothing to other providers.
      const signature = carriedThinkingSignature(block.signature as string);
      return { type: 'reasoning', text: block.thinking as string, ...(signature !== undefined ? { signature } : {}) };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: block.data as string };
    case 'tool_use': {
      const { id, signature } = splitToolUseId(block.id as string);
      const call: ToolCallPart = {
        type: 'tool-call',
        id,
        name: block.name as string,
        arguments: JSON.stringify(block.input),
      };
      if (signature !== undefined) call.signature = signature;
      toolNames.set(call.id, call.name);
      return call;
    }
    default:
      throw untranslatable(block, path);
  }
}

function toolResultPart(block: Block, path: string, toolNames: Map<string, string>): ToolResultPart {
  const { id } = splitToolUseId(block.tool_use_id as string);
  const content = block.content;
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId: id,
    content:
      content === undefined || content === null
        ? ''
        : typeof content === 'string'
          ? content
          : (content as Block[]).map((item, i) => userPart(item, `${path}.content.${i}`)),
  };
  const name = toolNames.get(id);
  if (name !== undefined) part.name = name;
  if (block.is_error === true) part.isError = true;
  return withCache(part, block);
}

function onlyText(block: Block, path: string): TextPart {
  if (block.type !== 'text') {
    throw new GatewayError('invalid_request', `${path}: a system message can only carry text blocks`, {
      param: path,
    });
  }
  return textPart(block);
}

function textPart(block: Block): TextPart {
  const part: TextPart = { type: 'text', text: block.text as string };
  return withCache(part, block);
}

function imagePart(block: Block, path: string): ImagePart {
  const source = block.source as Block;
  let part: ImagePart;
  if (source.type === 'base64')
    part = { type: 'image', data: source.data as string, mediaType: source.media_type as string };
  else if (source.type === 'url') part = { type: 'image', url: source.url as string };
  else throw untranslatableSource(path, 'image', source.type);
  return withCache(part, block);
}

function documentPart(block: Block, path: string): FilePart {
  const source = block.source as Block;
  const part: FilePart = { type: 'file' };
  if (typeof block.title === 'string') part.filename = block.title;
  if (source.type === 'base64') {
    part.data = source.data as string;
    part.mediaType = source.media_type as string;
  } else if (source.type === 'text') {
    part.data = Buffer.from(source.data as string, 'utf8').toString('base64');
    part.mediaType = 'text/plain';
  } else if (source.type === 'url') {
    part.url = source.url as string;
    part.mediaType = 'application/pdf';
  } else {
    throw untranslatableSource(path, 'document', source.type);
  }
  return withCache(part, block);
}

function withCache<T extends TextPart | ImagePart | FilePart | ToolResultPart>(part: T, block: Block): T {
  const control = block.cache_control;
  if (isObject(control)) {
    const ttl = (control as Partial<AnthropicCacheControl>).ttl;
    const cache: CacheHint = typeof ttl === 'string' ? { type: 'ephemeral', ttl } : { type: 'ephemeral' };
    part.cache = cache;
  }
  return part;
}

function untranslatable(block: Block, path: string): GatewayError {
  return new GatewayError(
    'invalid_request',
    `${path}: '${String(block.type)}' blocks can only be sent to an Anthropic deployment; this model is served by another provider`,
    { param: path, reason: 'unsupported_value' },
  );
}

function untranslatableSource(path: string, kind: string, sourceType: unknown): GatewayError {
  return new GatewayError(
    'invalid_request',
    `${path}.source: ${kind} sources of type '${String(sourceType)}' can only be sent to an Anthropic deployment`,
    { param: `${path}.source`, reason: 'unsupported_value' },
  );
}
