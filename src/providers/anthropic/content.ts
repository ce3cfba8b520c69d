/** Canonical content parts → Anthropic content blocks (text, image, document, tool_result). */
import { GatewayError } from '../../core/errors.ts';
import type { CacheHint, FilePart, ImagePart, TextPart, ToolResultPart } from '../../core/types.ts';
import type {
  AnthropicCacheControl,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from '../../protocols/anthropic-messages.ts';
import { type BuildContext, rejectOrDrop } from './build-context.ts';

/** Files API ids (`file_…`) need this beta header. */
export const FILES_API_BETA = 'files-api-2025-04-14';

export function toCacheControl(hint: CacheHint | undefined): { cache_control?: AnthropicCacheControl } {
  if (!hint) return {};
  return { cache_control: hint.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: hint.ttl } };
}

/** Anthropic rejects empty text blocks, so they are skipped (null). */
export function toTextBlock(part: TextPart): AnthropicTextBlock | null {
  if (part.text === '') return null;
  return { type: 'text', text: part.text, ...toCacheControl(part.cache) };
}

export function toImageBlock(part: ImagePart, param: string): AnthropicImageBlock {
  const cache = toCacheControl(part.cache);
  if (part.data !== undefined) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: part.mediaType ?? 'image/png', data: part.data },
      ...cache,
    };
  }
  if (part.url !== undefined) return { type: 'image', source: { type: 'url', url: part.url }, ...cache };
  throw new GatewayError('invalid_request', `'${param}' has neither a URL nor data.`, { param });
}

/**
 * Files: a PDF (base64 or URL) becomes a `document` block with that source, `text/plain` data a
 * document with a text source, an image file an `image` block, and a file id an Anthropic Files
 * API reference (adds the files beta header). Other media types cannot be read by Claude.
 */
export function toFileBlock(
  part: FilePart,
  param: string,
  ctx: BuildContext,
): AnthropicDocumentBlock | AnthropicImageBlock | null {
  const cache = toCacheControl(part.cache);
  const title = part.filename !== undefined ? { title: part.filename } : {};
  const mediaType = part.mediaType ?? (part.data !== undefined ? 'application/pdf' : undefined);
  if (part.data !== undefined) {
    if (mediaType === 'application/pdf') {
      return {
        type: 'document',
        source: { type: 'base64', media_type: mediaType, data: part.data },
        ...title,
        ...cache,
      };
    }
    if (mediaType === 'text/plain') {
      const text = Buffer.from(part.data, 'base64').toString('utf8');
      return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title, ...cache };
    }
    if (mediaType?.startsWith('image/')) {
      return { type: 'image', source: { type: 'base64', media_type: mediaType, data: part.data }, ...cache };
    }
    rejectOrDrop(ctx, param, `Claude reads PDF, plain-text and image files, not ${mediaType ?? 'this file type'}`);
    return null;
  }
  if (part.url !== undefined) return { type: 'document', source: { type: 'url', url: part.url }, ...title, ...cache };
  if (part.fileId !== undefined) {
    ctx.betas.add(FILES_API_BETA);
    return { type: 'document', source: { type: 'file', file_id: part.fileId }, ...title, ...cache };
  }
  throw new GatewayError('invalid_request', `'${param}' has no file_data or file_id.`, { param });
}

/** An OpenAI tool message → `tool_result`; array content keeps its text, image and file parts. */
export function toToolResultBlock(part: ToolResultPart, param: string, ctx: BuildContext): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: part.toolCallId };
  if (typeof part.content === 'string') {
    if (part.content !== '') block.content = part.content;
  } else {
    const content: NonNullable<Exclude<AnthropicToolResultBlock['content'], string>> = [];
    for (const [index, item] of part.content.entries()) {
      const at = `${param}[${index}]`;
      const converted =
        item.type === 'text'
          ? toTextBlock(item)
          : item.type === 'image'
            ? toImageBlock(item, at)
            : toFileBlock(item, at, ctx);
      if (converted) content.push(converted);
    }
    if (content.length > 0) block.content = content;
  }
  if (part.isError) block.is_error = true;
  Object.assign(block, toCacheControl(part.cache));
  return block;
}
