import { assertNever } from '../../core/assert-never.ts';
import { GatewayError } from '../../core/errors.ts';
import type { JsonObject, JsonValue, Message, Part, ToolResultPart } from '../../core/types.ts';
import { tryParseJson } from '../../lib/json.ts';
import type { GeminiPart } from '../../protocols/gemini.ts';
import type { Adjustments } from './adjustments.ts';
import { toGeminiAudioPart, toGeminiFilePart, toGeminiImagePart } from './media.ts';
import type { GeminiModelTraits } from './models.ts';

/**
 * The documented sentinel for a replayed Gemini 3 function call whose thoughtSignature was lost
 * (vercel/ai does the same; the Gemini thought-signatures guide names it). Without it Gemini 3
 * answers 400.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface PartContext {
  traits: GeminiModelTraits;
  adjustments: Adjustments;
  /** tool_call_id → function name, from the assistant tool calls seen so far. */
  toolNames: Map<string, string>;
  /** Index of the message in the client's `messages` (for error params). */
  index: number;
}

/** Text and media of a user message (and of array tool results). */
export function toGeminiUserParts(parts: Part[], ctx: PartContext): GeminiPart[] {
  const out: GeminiPart[] = [];
  parts.forEach((part, j) => {
    const param = `messages[${ctx.index}].content[${j}]`;
    switch (part.type) {
      case 'text':
        if (part.text !== '') out.push({ text: part.text });
        break;
      case 'image':
        out.push(toGeminiImagePart(part, ctx.adjustments));
        break;
      case 'audio':
        out.push(toGeminiAudioPart(part));
        break;
      case 'file': {
        const file = toGeminiFilePart(part, `${param}.file`, ctx.adjustments);
        if (file) out.push(file);
        break;
      }
      case 'reasoning':
      case 'tool-call':
      case 'tool-result':
        break;
      default:
        assertNever(part, 'part');
    }
  });
  return out;
}

/**
 * An assistant message → model parts. Reasoning with text becomes `thought: true` parts (with
 * their signature); a reasoning entry that only carries a signature (Gemini put it on a text part or
 * on an empty final part) goes back on the next text or function call part. Function calls keep
 * their own signature; on Gemini 3 the first call of a turn without one gets the documented sentinel.
 */
export function toGeminiModelParts(message: Message, ctx: PartContext): GeminiPart[] {
  const out: GeminiPart[] = [];
  let pendingSignature: string | undefined;
  let firstCall = true;
  let callIndex = 0;
  const withSignature = (part: GeminiPart, own?: string): GeminiPart => {
    const signature = own ?? pendingSignature;
    pendingSignature = undefined;
    return signature === undefined ? part : { ...part, thoughtSignature: signature };
  };
  for (const part of message.parts) {
    if (part.type === 'reasoning') {
      if (part.redactedData !== undefined) continue;
      if (part.text !== '') out.push(withSignature({ text: part.text, thought: true }, part.signature));
      else if (part.signature !== undefined) pendingSignature = part.signature;
    } else if (part.type === 'text') {
      if (part.text !== '') out.push(withSignature({ text: part.text }));
    } else if (part.type === 'tool-call') {
      const param = `messages[${ctx.index}].tool_calls[${callIndex++}].function.arguments`;
      const call: GeminiPart = { functionCall: { name: part.name, args: parseArguments(part.arguments, param) } };
      if (part.id) call.functionCall = { id: part.id, ...call.functionCall };
      let signature = part.signature ?? pendingSignature;
      if (signature === undefined && firstCall && ctx.traits.requiresThoughtSignatures) {
        signature = SKIP_THOUGHT_SIGNATURE;
        ctx.adjustments.warn(
          `messages[${ctx.index}]: function call replayed without its thoughtSignature; sent ${SKIP_THOUGHT_SIGNATURE}`,
        );
      }
      firstCall = false;
      out.push(withSignature(call, signature));
    }
  }
  if (message.refusal && !out.some((part) => part.text !== undefined && part.thought !== true))
    out.push({ text: message.refusal });
  if (pendingSignature !== undefined) {
    const last = out.at(-1);
    if (last && last.thoughtSignature === undefined) last.thoughtSignature = pendingSignature;
    else out.push({ text: '', thoughtSignature: pendingSignature });
  }
  return out;
}

/** OpenAI arguments (a JSON string) → `args` (a JSON object; '' and {} are a no-argument call). */
function parseArguments(text: string, param: string): JsonObject {
  if (text.trim() === '') return {};
  const parsed = tryParseJson(text) as JsonValue | undefined;
  if (parsed === undefined) {
    throw new GatewayError(
      'invalid_request',
      `Invalid '${param}': expected a JSON object, got text that is not JSON.`,
      { param },
    );
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  return { value: parsed };
}

/**
 * A tool result → a `functionResponse` (+ media). The name is recovered from the assistant tool call
 * with the same id (litellm does this; Portkey's placeholder name breaks Gemini's matching), else
 * taken from the tool message's `name`. The
 * response must be a JSON object: a result that parses as a JSON object is sent as is; anything
 * else is wrapped as `{output: value}` (the key the proto comment and js-genai's recorded AFC
 * request use), an error result as `{error: value}`. Images and files of an array result go into
 * `functionResponse.parts` on Gemini 3, and next to the functionResponse on older models.
 */
export function toGeminiFunctionResponseParts(
  part: ToolResultPart,
  ctx: PartContext,
  messageName?: string,
): GeminiPart[] {
  const name = part.name ?? ctx.toolNames.get(part.toolCallId) ?? messageName;
  if (name === undefined) {
    const param = `messages[${ctx.index}].tool_call_id`;
    throw new GatewayError(
      'invalid_request',
      `Invalid '${param}': no assistant tool call with id '${part.toolCallId}' comes before this tool message (Gemini needs the function name).`,
      { param },
    );
  }
  const texts =
    typeof part.content === 'string'
      ? [part.content]
      : part.content.flatMap((p) => (p.type === 'text' ? [p.text] : []));
  const media =
    typeof part.content === 'string'
      ? []
      : toGeminiUserParts(
          part.content.filter((p) => p.type !== 'text'),
          ctx,
        );
  const functionResponse: NonNullable<GeminiPart['functionResponse']> = {
    id: part.toolCallId,
    name,
    response: toResponseObject(texts.join(''), part.isError === true),
  };
  if (!part.toolCallId) delete functionResponse.id;
  const inline = ctx.traits.functionResponseParts ? media.filter((p) => p.inlineData !== undefined) : [];
  if (inline.length > 0)
    functionResponse.parts = inline.map((p) => ({ inlineData: p.inlineData as NonNullable<GeminiPart['inlineData']> }));
  return [{ functionResponse }, ...media.filter((p) => !inline.includes(p))];
}

function toResponseObject(text: string, isError: boolean): JsonObject {
  const parsed = tryParseJson(text) as JsonValue | undefined;
  const value: JsonValue = parsed === undefined ? text : parsed;
  if (!isError && typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  return isError ? { error: value } : { output: value };
}
