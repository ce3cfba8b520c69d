/**
 * The prompt tokens of a validated Messages request, estimated with the gateway's tokenizer (limits,
 * usage an upstream never sent, and `count_tokens`). Texts are counted; images and documents are
 * flat figures (their real cost depends on pixels and pages llmux does not measure).
 */
import type { AnthropicRequestBody } from '../../protocols/anthropic-messages.ts';
import { isObject } from './validate-helpers.ts';

/** Role markers and separators of each message. */
const TOKENS_PER_MESSAGE = 3;
/** An image: about a 1000×1000 picture (Anthropic: width × height / 750). */
const IMAGE_TOKENS = 1600;
/** A document (PDF): a few pages of text and page images. */
const DOCUMENT_TOKENS = 2000;
/** The tool-use system prompt Anthropic adds when tools are given. */
const TOOLS_OVERHEAD_TOKENS = 300;

export function estimateMessagesInput(
  body: AnthropicRequestBody,
  countTexts: (texts: readonly string[]) => number,
): number {
  const texts: string[] = [];
  let fixed = 0;
  const record = body as unknown as Record<string, unknown>;
  if (typeof record.system === 'string') texts.push(record.system);
  else if (Array.isArray(record.system)) for (const block of record.system) fixed += collectBlock(block, texts);
  for (const message of body.messages as unknown[]) {
    if (!isObject(message)) continue;
    fixed += TOKENS_PER_MESSAGE;
    const content = message.content;
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) for (const block of content) fixed += collectBlock(block, texts);
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    fixed += TOOLS_OVERHEAD_TOKENS;
    for (const tool of body.tools) texts.push(JSON.stringify(tool));
  }
  return fixed + countTexts(texts);
}

/** Pushes a block's text; returns the tokens it costs beyond that text. */
function collectBlock(block: unknown, texts: string[]): number {
  if (!isObject(block)) return 0;
  switch (block.type) {
    case 'text':
      if (typeof block.text === 'string') texts.push(block.text);
      return 0;
    case 'thinking':
      if (typeof block.thinking === 'string') texts.push(block.thinking);
      return 0;
    case 'tool_use':
      if (typeof block.name === 'string') texts.push(block.name);
      texts.push(JSON.stringify(block.input ?? {}));
      return 0;
    case 'tool_result': {
      if (typeof block.content === 'string') texts.push(block.content);
      let fixed = 0;
      if (Array.isArray(block.content)) for (const item of block.content) fixed += collectBlock(item, texts);
      return fixed;
    }
    case 'image':
      return IMAGE_TOKENS;
    case 'document': {
      const source = block.source;
      if (isObject(source) && source.type === 'text' && typeof source.data === 'string') {
        texts.push(source.data);
        return 0;
      }
      return DOCUMENT_TOKENS;
    }
    default:
      return 0;
  }
}
