/**
 * Prompts and completions in the GenAI conventions' message format (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`: JSON strings), exported only when
 * `telemetry.captureContent` is on, each bounded in size.
 */
import type { Message, Part } from '../../core/types.ts';
import type { Attributes } from './span-data.ts';

/** What the gateway hands over for one request when content capture is on. */
export interface CapturedContent {
  input?: readonly Message[] | undefined;
  /** The output text as it went out (the first choice's, or all of them joined). */
  output?: string | undefined;
}

/** Characters of text kept per attribute; the rest is cut with a marker. */
export const MAX_CONTENT_CHARS = 16 * 1024;
const CUT_MARKER = '…[truncated]';

interface OutputPart {
  type: string;
  [field: string]: unknown;
}

interface Budget {
  left: number;
}

export function contentAttributes(content: CapturedContent, finishReasons: readonly string[] | undefined): Attributes {
  const attributes: Attributes = {};
  if (content.input !== undefined) {
    const budget: Budget = { left: MAX_CONTENT_CHARS };
    const system: OutputPart[] = [];
    const messages: object[] = [];
    for (const message of content.input) {
      const parts = message.parts.map((part) => convertPart(part, budget));
      if (message.role === 'system' || message.role === 'developer') system.push(...parts);
      else messages.push({ role: message.role, parts });
    }
    if (system.length > 0) attributes['gen_ai.system_instructions'] = JSON.stringify(system);
    attributes['gen_ai.input.messages'] = JSON.stringify(messages);
  }
  if (content.output !== undefined) {
    const budget: Budget = { left: MAX_CONTENT_CHARS };
    attributes['gen_ai.output.messages'] = JSON.stringify([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: cut(content.output, budget) }],
        finish_reason: finishReasons?.[0] ?? 'stop',
      },
    ]);
  }
  return attributes;
}

function convertPart(part: Part, budget: Budget): OutputPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', content: cut(part.text, budget) };
    case 'reasoning':
      return { type: 'reasoning', content: cut(part.text, budget) };
    case 'tool-call':
      return { type: 'tool_call', id: part.id, name: part.name, arguments: cut(part.arguments, budget) };
    case 'tool-result': {
      const response =
        typeof part.content === 'string'
          ? part.content
          : part.content.map((inner) => (inner.type === 'text' ? inner.text : `[${inner.type}]`)).join('');
      return { type: 'tool_call_response', id: part.toolCallId, response: cut(response, budget) };
    }
    case 'image':
    case 'audio':
    case 'file':
      // Media bytes and URLs are never exported: the kind is enough to read the conversation.
      return { type: part.type };
  }
}

function cut(text: string, budget: Budget): string {
  if (text.length <= budget.left) {
    budget.left -= text.length;
    return text;
  }
  const kept = text.slice(0, Math.max(0, budget.left));
  budget.left = 0;
  return kept + CUT_MARKER;
}
