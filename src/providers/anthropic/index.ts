/** The Anthropic Messages API adapter (`type: anthropic`). Pure: builds requests, parses responses. */
import { sseStreamParser } from '../sse-parser.ts';
import type { ProviderAdapter } from '../types.ts';
import { parseAnthropicError } from './errors.ts';
import { anthropicPassthrough } from './passthrough.ts';
import { buildAnthropicRequest } from './request.ts';
import { fromAnthropicMessage } from './response.ts';
import { AnthropicStreamParser } from './stream.ts';

export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  wireFormat: 'anthropic-messages',
  // A Messages client's body goes through as it is (passthrough.ts).
  passthrough: anthropicPassthrough,
  // Claude has no `n`: the gateway sends n requests and merges them.
  maxChoicesPerRequest: 1,
  // Defaults live in models.ts (max output tokens per family), applied when the config sets none.
  capabilitiesFor: () => ({}),
  buildRequest: buildAnthropicRequest,
  parseResponse: (body) => fromAnthropicMessage(body),
  createStreamParser: (_target, options) => sseStreamParser(new AnthropicStreamParser(), options),
  parseError: parseAnthropicError,
};

export { THINKING_BUDGETS } from './reasoning.ts';
export { JSON_RESPONSE_TOOL } from './tools.ts';
