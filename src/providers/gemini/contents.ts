import type { Message } from '../../core/types.ts';
import type { GeminiContent, GeminiPart } from '../../protocols/gemini.ts';
import type { Adjustments } from './adjustments.ts';
import {
  type PartContext,
  toGeminiFunctionResponseParts,
  toGeminiModelParts,
  toGeminiUserParts,
} from './message-parts.ts';
import type { GeminiModelTraits } from './models.ts';

export interface GeminiConversation {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

/**
 * OpenAI messages → `systemInstruction` + `contents`.
 *
 * - Every system and developer message, wherever it stands, becomes a text part of
 *   `systemInstruction`, in order (Portkey keeps only the first one; vercel/ai throws on late ones).
 *   One that came after the conversation started is moved there with a warning.
 * - user → `user`, assistant → `model`, tool → `functionResponse` parts in a `user` turn.
 * - Consecutive turns of the same role are merged into one (Gemini wants user/model alternation),
 *   keeping part order, so tool results come before a user text that follows them.
 * - Empty turns are dropped (Gemini rejects a content without parts).
 * - Gemma takes no systemInstruction: its text is prepended to the first user turn (vercel/ai).
 *   With no user or assistant message at all, the system text is sent as the user turn.
 */
export function toGeminiContents(
  messages: Message[],
  traits: GeminiModelTraits,
  adjustments: Adjustments,
): GeminiConversation {
  const systemParts: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) if (part.type === 'tool-call' && part.id) toolNames.set(part.id, part.name);
  }
  let started = false;
  messages.forEach((message, index) => {
    const ctx: PartContext = { traits, adjustments, toolNames, index };
    switch (message.role) {
      case 'system':
      case 'developer': {
        const texts = message.parts.flatMap((part) =>
          part.type === 'text' && part.text !== '' ? [{ text: part.text }] : [],
        );
        if (message.parts.some((part) => part.type !== 'text')) {
          adjustments.warn(
            `messages[${index}]: only text is allowed in a ${message.role} message for Gemini; other parts dropped`,
          );
        }
        if (started && texts.length > 0)
          adjustments.warn(`messages[${index}]: ${message.role} message moved to systemInstruction`);
        systemParts.push(...texts);
        return;
      }
      case 'user':
        started = true;
        push(contents, 'user', toGeminiUserParts(message.parts, ctx));
        return;
      case 'assistant':
        started = true;
        push(contents, 'model', toGeminiModelParts(message, ctx));
        return;
      case 'tool':
        started = true;
        push(
          contents,
          'user',
          message.parts.flatMap((part) =>
            part.type === 'tool-result' ? toGeminiFunctionResponseParts(part, ctx, message.name) : [],
          ),
        );
        return;
    }
  });
  if (systemParts.length === 0) return { contents };
  if (contents.length === 0) {
    adjustments.warn('no user or assistant message: system text sent as the user turn');
    return { contents: [{ role: 'user', parts: systemParts }] };
  }
  if (!traits.systemInstruction) {
    adjustments.warn('this model takes no systemInstruction: system text prepended to the first user turn');
    const firstUser = contents.find((content) => content.role === 'user');
    if (firstUser) firstUser.parts = [...systemParts, ...(firstUser.parts ?? [])];
    else contents.unshift({ role: 'user', parts: systemParts });
    return { contents };
  }
  return { systemInstruction: { parts: systemParts }, contents };
}

function push(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts = [...(last.parts ?? []), ...parts];
  else contents.push({ role, parts });
}
