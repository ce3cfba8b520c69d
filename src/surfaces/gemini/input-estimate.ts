import { isRecord } from '../../lib/json.ts';

/** Flat figures for what the gateway does not measure: Gemini counts a small image as 258 tokens. */
export const MEDIA_PART_TOKENS = 258;
const TOKENS_PER_CONTENT = 3;

/**
 * The prompt tokens of a `generateContent` body, estimated: the texts of `systemInstruction`,
 * `contents` (function calls and responses as their JSON) and the function declarations, counted
 * with `countTexts`, plus flat figures per turn and per media part. Never throws.
 */
export function estimateGeminiInput(body: unknown, countTexts: (texts: readonly string[]) => number): number {
  if (!isRecord(body)) return 0;
  const texts: string[] = [];
  let fixed = 0;
  const collect = (content: unknown): void => {
    if (typeof content === 'string') {
      texts.push(content);
      return;
    }
    if (!isRecord(content) || !Array.isArray(content.parts)) return;
    fixed += TOKENS_PER_CONTENT;
    for (const part of content.parts) {
      if (!isRecord(part)) continue;
      if (typeof part.text === 'string') texts.push(part.text);
      if (part.functionCall !== undefined) texts.push(JSON.stringify(part.functionCall));
      if (part.functionResponse !== undefined) texts.push(JSON.stringify(part.functionResponse));
      if (part.inlineData !== undefined || part.fileData !== undefined) fixed += MEDIA_PART_TOKENS;
    }
  };
  collect(body.systemInstruction);
  if (Array.isArray(body.contents)) for (const content of body.contents) collect(content);
  if (Array.isArray(body.tools)) texts.push(JSON.stringify(body.tools));
  return fixed + countTexts(texts);
}
