/**
 * The prefix of what llmux writes into a client-visible opaque field to get it back on the next
 * turn (an Anthropic thinking block's `signature`, a Responses reasoning item's
 * `encrypted_content`): a value with it was written by llmux for a translated provider, never by
 * Anthropic or OpenAI, so a passthrough to them leaves it out.
 */
export const LLMUX_CARRIER_PREFIX = 'llmux1.';
