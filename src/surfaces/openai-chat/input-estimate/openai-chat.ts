/**
 * The prompt tokens of an OpenAI chat request body, estimated before it is sent (tpm and budget
 * reservations). Runs on the unvalidated wire JSON, so it reads defensively and never throws. The
 * overheads follow OpenAI's cookbook for o200k chat models; images, audio and files are flat figures
 * because their real cost depends on pixels, seconds and pages the gateway does not measure; the
 * settlement with the real usage corrects them.
 */
import { arrayOf, isRecord, json } from './json-guards.ts';
import { collectTools } from './tools.ts';

/** Each message is wrapped in a start token, its role and a separator. */
export const TOKENS_PER_MESSAGE = 3;
/** A message's `name` field. */
export const TOKENS_PER_NAME = 1;
/** Every reply is primed with the assistant's start tokens. */
export const REPLY_PRIMING_TOKENS = 3;
/** Each tool call in an assistant message beyond its name and arguments. */
export const TOKENS_PER_TOOL_CALL = 7;
/** An assistant message with several tool calls (OpenAI wraps them in one parallel call; measured on a recording). */
export const PARALLEL_TOOL_CALLS_TOKENS = 16;
/** An image at detail high or auto: a 1024×1024 image on gpt-4o (85 base + 4 tiles × 170). */
export const IMAGE_TOKENS = 765;
/** An image at detail low. */
export const LOW_DETAIL_IMAGE_TOKENS = 85;
/** An `input_audio` part: about a minute of speech (~25 tokens a second). */
export const AUDIO_PART_TOKENS = 1500;
/** A `file` part (e.g. a PDF): a few pages of text and page images. */
export const FILE_PART_TOKENS = 2000;

/**
 * Estimated prompt tokens of an OpenAI chat request body (0 for anything that is not an object);
 * `countTexts` counts the collected texts (the gateway's tokenizer).
 */
export function estimateOpenAIChatInput(body: unknown, countTexts: (texts: readonly string[]) => number): number {
  if (!isRecord(body)) return 0;
  const texts: string[] = [];
  let fixed = REPLY_PRIMING_TOKENS;
  try {
    for (const message of arrayOf(body.messages)) fixed += collectMessage(message, texts);
    // `functions` is the deprecated spelling of `tools`.
    fixed += collectTools([...arrayOf(body.tools), ...arrayOf(body.functions)], texts);
    const format = body.response_format;
    if (isRecord(format) && format.type === 'json_schema') texts.push(json(format.json_schema));
  } catch {
    // Whatever was collected before the odd part still counts.
  }
  return fixed + countTexts(texts);
}

/** Pushes the message's text to `texts`; returns the tokens it costs beyond that text. */
function collectMessage(message: unknown, texts: string[]): number {
  if (!isRecord(message)) return 0;
  let fixed = TOKENS_PER_MESSAGE;
  pushText(texts, message.role);
  if (typeof message.name === 'string') {
    fixed += TOKENS_PER_NAME;
    texts.push(message.name);
  }
  if (Array.isArray(message.content)) {
    for (const part of message.content) fixed += collectPart(part, texts);
  } else {
    pushText(texts, message.content);
  }
  pushText(texts, message.refusal);
  pushText(texts, message.reasoning_content);
  for (const detail of arrayOf(message.reasoning_details)) if (isRecord(detail)) pushText(texts, detail.text);
  const calls = arrayOf(message.tool_calls);
  if (calls.length > 1) fixed += PARALLEL_TOOL_CALLS_TOKENS;
  for (const call of calls) {
    fixed += TOKENS_PER_TOOL_CALL;
    if (isRecord(call)) collectCall(call.function, texts);
  }
  collectCall(message.function_call, texts);
  return fixed;
}

function collectPart(part: unknown, texts: string[]): number {
  if (typeof part === 'string') {
    texts.push(part);
    return 0;
  }
  if (!isRecord(part)) return 0;
  switch (part.type) {
    case 'image_url':
      return isRecord(part.image_url) && part.image_url.detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
    case 'input_audio':
      return AUDIO_PART_TOKENS;
    case 'file':
      return FILE_PART_TOKENS;
    default:
      pushText(texts, part.text);
      pushText(texts, part.refusal);
      return 0;
  }
}

function collectCall(call: unknown, texts: string[]): void {
  if (!isRecord(call)) return;
  pushText(texts, call.name);
  if (typeof call.arguments === 'string') texts.push(call.arguments);
  else if (call.arguments !== undefined) texts.push(json(call.arguments));
}

function pushText(texts: string[], value: unknown): void {
  if (typeof value === 'string' && value.length > 0) texts.push(value);
}
