/**
 * The prompt tokens of a validated Responses request, estimated with the gateway's tokenizer
 * (limits, and usage an upstream never sent). Texts are counted; images and files are flat
 * figures, as on the other surfaces.
 */
import type { ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import { isObject } from './validate-helpers.ts';

const TOKENS_PER_ITEM = 3;
const IMAGE_TOKENS = 1000;
const FILE_TOKENS = 2000;

export function estimateResponsesInput(
  body: ResponsesRequestBody,
  countTexts: (texts: readonly string[]) => number,
): number {
  const texts: string[] = [];
  let fixed = 0;
  if (typeof body.instructions === 'string') texts.push(body.instructions);
  if (typeof body.input === 'string') texts.push(body.input);
  for (const item of Array.isArray(body.input) ? body.input : []) {
    fixed += TOKENS_PER_ITEM;
    for (const key of ['name', 'arguments', 'input'] as const) if (typeof item[key] === 'string') texts.push(item[key]);
    // Codex's additional_tools item carries the tools (tens of KB of descriptions).
    if (item.type === 'additional_tools' && Array.isArray(item.tools)) texts.push(JSON.stringify(item.tools));
    fixed += collect(item.content, texts) + collect(item.output, texts) + collect(item.summary, texts);
  }
  for (const tool of body.tools ?? []) texts.push(JSON.stringify(tool));
  return fixed + countTexts(texts);
}

/** Pushes the texts of a string or of content parts; returns the tokens of what is not text. */
function collect(content: unknown, texts: string[]): number {
  if (typeof content === 'string') {
    texts.push(content);
    return 0;
  }
  if (!Array.isArray(content)) return 0;
  let fixed = 0;
  for (const part of content) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string') texts.push(part.text);
    else if (typeof part.refusal === 'string') texts.push(part.refusal);
    else if (part.type === 'input_image') fixed += IMAGE_TOKENS;
    else if (part.type === 'input_file') fixed += FILE_TOKENS;
  }
  return fixed;
}
