import type { FilePart, ImagePart, JsonObject, Message, Part, TextPart, ToolResultPart } from '../../core/types.ts';
import type { GeminiContent, GeminiFunctionResponse, GeminiPart } from '../../protocols/gemini.ts';

/**
 * What gemini-cli (and other clients) send on a replayed function call when they have no real
 * signature: it asks Gemini to skip the check and means nothing to any other model, so it is not
 * carried into the canonical request (a Gemini 3 target gets it back from the Gemini adapter).
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/**
 * `systemInstruction` + `contents` → canonical messages.
 *
 * - model turns → assistant messages: `thought: true` parts are reasoning (with their signature), a
 *   signature on any other part is kept as signature-only reasoning before it (how the Gemini
 *   adapter reads it from a response, and writes it back), function calls are tool calls.
 * - user turns → user messages; each `functionResponse` is a tool message of its own, in place.
 * - Function calls without an `id` (the Gemini API sends none) get one, and a response without an
 *   id is paired with the oldest unanswered call of the same name. Ids the client invented (as
 *   gemini-cli does) are kept as they are.
 */
export function toCanonicalMessages(system: GeminiContent | string | undefined, contents: GeminiContent[]): Message[] {
  const messages: Message[] = [];
  const systemTexts = typeof system === 'string' ? [system] : textsOf(system?.parts ?? []);
  if (systemTexts.length > 0)
    messages.push({ role: 'system', parts: systemTexts.map((text) => ({ type: 'text', text })) });
  const calls = new CallLedger();
  contents.forEach((content, turn) => {
    const parts = content.parts ?? [];
    if (content.role === 'model') messages.push({ role: 'assistant', parts: modelParts(parts, turn, calls) });
    else pushUserTurn(messages, parts, calls);
  });
  return messages;
}

function textsOf(parts: GeminiPart[]): string[] {
  return parts.flatMap((part) =>
    typeof part.text === 'string' && part.text !== '' && part.thought !== true ? [part.text] : [],
  );
}

function signatureOf(part: GeminiPart): string | undefined {
  const signature = part.thoughtSignature;
  return signature === undefined || signature === SKIP_THOUGHT_SIGNATURE ? undefined : signature;
}

function modelParts(parts: GeminiPart[], turn: number, calls: CallLedger): Part[] {
  const out: Part[] = [];
  parts.forEach((part, index) => {
    const signature = signatureOf(part);
    if (part.functionCall) {
      const call = part.functionCall;
      const id = calls.open(call.id, call.name ?? '', `${turn}_${index}`);
      out.push({
        type: 'tool-call',
        id,
        name: call.name ?? '',
        arguments: JSON.stringify(call.args ?? {}),
        ...(signature === undefined ? {} : { signature }),
      });
      return;
    }
    if (part.thought === true) {
      out.push({ type: 'reasoning', text: part.text ?? '', ...(signature === undefined ? {} : { signature }) });
      return;
    }
    if (signature !== undefined) out.push({ type: 'reasoning', text: '', signature });
    if (typeof part.text === 'string' && part.text !== '') out.push({ type: 'text', text: part.text });
    else if (part.inlineData || part.fileData) out.push(...mediaParts(part));
  });
  return out;
}

function pushUserTurn(messages: Message[], parts: GeminiPart[], calls: CallLedger): void {
  let pending: Part[] = [];
  const flush = (): void => {
    if (pending.length > 0) messages.push({ role: 'user', parts: pending });
    pending = [];
  };
  for (const part of parts) {
    if (part.functionResponse) {
      flush();
      messages.push({ role: 'tool', parts: [toolResult(part.functionResponse, calls)] });
    } else if (typeof part.text === 'string') {
      if (part.text !== '' && part.thought !== true) pending.push({ type: 'text', text: part.text });
    } else {
      pending.push(...mediaParts(part));
    }
  }
  flush();
}

/** `inlineData` / `fileData` → an image part for images, else a file part. */
function mediaParts(part: GeminiPart): Array<ImagePart | FilePart> {
  if (part.inlineData) {
    const { mimeType, data } = part.inlineData;
    if (mimeType?.startsWith('image/')) return [{ type: 'image', data, mediaType: mimeType }];
    return [{ type: 'file', data, ...(mimeType ? { mediaType: mimeType } : {}) }];
  }
  if (part.fileData) {
    const { mimeType, fileUri } = part.fileData;
    if (mimeType?.startsWith('image/')) return [{ type: 'image', url: fileUri, mediaType: mimeType }];
    return [{ type: 'file', url: fileUri, ...(mimeType ? { mediaType: mimeType } : {}) }];
  }
  return [];
}

/**
 * A `functionResponse` → a tool result. `{output: "…"}` (the key the SDKs and gemini-cli use) and
 * `{error: "…"}` become the plain text; any other response object is sent as its JSON. Media in
 * `functionResponse.parts` follow the text.
 */
function toolResult(response: GeminiFunctionResponse, calls: CallLedger): ToolResultPart {
  const body: JsonObject = response.response ?? {};
  const keys = Object.keys(body);
  const single = keys.length === 1 ? keys[0] : undefined;
  const value = single === undefined ? undefined : body[single];
  const isError = single === 'error';
  const text = (single === 'output' || isError) && typeof value === 'string' ? value : JSON.stringify(body);
  const media = (response.parts ?? []).flatMap((part) => mediaParts(part));
  const content: string | Array<TextPart | ImagePart | FilePart> =
    media.length === 0 ? text : [{ type: 'text', text }, ...media];
  const result: ToolResultPart = {
    type: 'tool-result',
    toolCallId: calls.answer(response.id, response.name),
    name: response.name,
    content,
  };
  if (isError) result.isError = true;
  return result;
}

/** Function call ids across the conversation: given ones kept, missing ones made up and paired by name. */
class CallLedger {
  private readonly unanswered: Array<{ id: string; name: string }> = [];

  open(given: string | undefined, name: string, position: string): string {
    const id = given !== undefined && given !== '' ? given : `call_${position}`;
    this.unanswered.push({ id, name });
    return id;
  }

  answer(given: string | undefined, name: string): string {
    const byId = given ? this.unanswered.findIndex((call) => call.id === given) : -1;
    const index = byId >= 0 ? byId : given ? -1 : this.unanswered.findIndex((call) => call.name === name);
    if (index >= 0) return (this.unanswered.splice(index, 1)[0] as { id: string }).id;
    return given || `call_${name}`;
  }
}
