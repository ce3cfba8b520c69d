/**
 * Reasoning items travel through the client between turns (Codex sends `store: false` and the
 * whole history every turn), so what the next turn needs of a model's reasoning rides in the
 * item's `encrypted_content`: llmux writes `llmux1.` + base64url(JSON) holding the provider's
 * thinking signature (Anthropic, Gemini) or redacted payload, and reads it back. An
 * `encrypted_content` llmux did not write (OpenAI's, from a conversation begun elsewhere) is
 * dropped: no translated provider can verify it, and Anthropic refuses a foreign signature. The
 * reasoning keeps its summary text, which providers drop when unsigned.
 */
import type { ReasoningPart } from '../../core/types.ts';
import { isObject } from './validate-helpers.ts';

const PREFIX = 'llmux1.';

/** What a reasoning part needs carried to the next turn, or undefined when nothing. */
export function encodeReasoningCarrier(part: Pick<ReasoningPart, 'signature' | 'redactedData'>): string | undefined {
  const carried: Record<string, string> = {};
  if (part.signature) carried.signature = part.signature;
  if (part.redactedData !== undefined) carried.redactedData = part.redactedData;
  if (Object.keys(carried).length === 0) return undefined;
  return PREFIX + Buffer.from(JSON.stringify(carried), 'utf8').toString('base64url');
}

/** A reasoning item's `encrypted_content` back into the part's signature / redacted payload. */
export function decodeReasoningCarrier(encrypted: string): Pick<ReasoningPart, 'signature' | 'redactedData'> {
  if (!encrypted.startsWith(PREFIX)) return {};
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return {};
  }
  if (!isObject(decoded)) return {};
  const out: Pick<ReasoningPart, 'signature' | 'redactedData'> = {};
  if (typeof decoded.signature === 'string') out.signature = decoded.signature;
  if (typeof decoded.redactedData === 'string') out.redactedData = decoded.redactedData;
  return out;
}
