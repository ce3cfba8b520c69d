import type { Citation } from '../../core/types.ts';
import { isRecord } from '../../lib/json.ts';

/**
 * An Anthropic citation (web_search_result_location, char/page/content_block_location,
 * search_result_location) → canonical citation spanning the cited text block in the message
 * content (`startIndex`..`endIndex`, the block's offsets in the concatenated text).
 */
export function fromAnthropicCitation(raw: unknown, startIndex: number, endIndex: number): Citation | null {
  if (!isRecord(raw)) return null;
  const citation: Citation = { startIndex, endIndex };
  if (typeof raw.url === 'string') citation.url = raw.url;
  else if (typeof raw.source === 'string') citation.url = raw.source;
  const title =
    typeof raw.title === 'string' ? raw.title : typeof raw.document_title === 'string' ? raw.document_title : undefined;
  if (title !== undefined) citation.title = title;
  if (typeof raw.cited_text === 'string') citation.text = raw.cited_text;
  return citation;
}
