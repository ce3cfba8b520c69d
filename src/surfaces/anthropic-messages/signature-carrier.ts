/**
 * What a translated turn's model needs back on the next turn rides through the client, which sends
 * its thinking blocks and tool_use ids back verbatim (Claude Code does, recorded):
 *
 * - A thinking block's `signature` is `llmux1.` + base64url(JSON `{signature?}`), holding the
 *   provider's thought signature (Gemini's), or nothing (an OpenAI model's reasoning). Read back,
 *   it restores the signature. A signature llmux did not write (Claude's, from a turn an Anthropic
 *   deployment served) is dropped on translation: no other provider can verify it. The same format
 *   as the Responses surface's `encrypted_content`.
 * - A function call's own thought signature (Gemini 2.5/3 refuse a replayed call without it) is a
 *   suffix of the tool_use id, `…_llmuxsig_` + base64url(signature): ids survive every client's
 *   round trip (tool_result must quote them), thinking blocks do not always (clients drop them when
 *   thinking is off). The suffix keeps the id within Anthropic's `[a-zA-Z0-9_-]`.
 */
import { LLMUX_CARRIER_PREFIX as PREFIX } from '../../protocols/llmux-carrier.ts';

const ID_MARK = '_llmuxsig_';

/** The signature of a rendered thinking block (always recognisable, signature or not). */
export function thinkingSignature(signature: string | undefined): string {
  const carried = signature ? { signature } : {};
  return PREFIX + Buffer.from(JSON.stringify(carried), 'utf8').toString('base64url');
}

/**
 * A thinking block's signature as sent back: the provider's signature llmux carried, or undefined
 * (nothing carried, or a signature llmux did not write).
 */
export function carriedThinkingSignature(signature: string): string | undefined {
  if (!signature.startsWith(PREFIX)) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(signature.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null) return undefined;
    const carried = (decoded as { signature?: unknown }).signature;
    return typeof carried === 'string' && carried !== '' ? carried : undefined;
  } catch {
    return undefined;
  }
}

/** A tool call's id as rendered: with its thought signature carried when it has one. */
export function toolUseId(id: string, signature: string | undefined): string {
  return signature ? id + ID_MARK + Buffer.from(signature, 'utf8').toString('base64url') : id;
}

/** A tool_use id (or tool_result's `tool_use_id`) as sent back → the call's own id and its signature. */
export function splitToolUseId(sent: string): { id: string; signature: string | undefined } {
  const at = sent.indexOf(ID_MARK);
  if (at < 0) return { id: sent, signature: undefined };
  const signature = Buffer.from(sent.slice(at + ID_MARK.length), 'base64url').toString('utf8');
  return { id: sent.slice(0, at), signature: signature === '' ? undefined : signature };
}
