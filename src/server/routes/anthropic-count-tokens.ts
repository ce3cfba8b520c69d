import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import type { Gateway } from '../../gateway/context.ts';
import { capText } from '../../lib/cap-text.ts';
import { keyAllowsModel } from '../../policy/key-ring.ts';
import { anthropicMessagesSurface, parseCountTokensRequest } from '../../surfaces/anthropic-messages/index.ts';
import { invalidJson } from '../errors.ts';

/**
 * `POST /v1/messages/count_tokens` (Anthropic's, also with `?beta=true`): `{"input_tokens": N}` for
 * a Messages request without `max_tokens`. Counted by llmux with its tokenizer for every
 * deployment (Anthropic's included, so no upstream call and no request-log row): an estimate, as
 * the gateway's limits use it, not Claude's own count. The key must be allowed the model, and the
 * model must exist; errors are in Anthropic's envelope.
 */
export function registerAnthropicCountTokensRoute(app: FastifyInstance, currentGateway: () => Gateway): void {
  app.post('/v1/messages/count_tokens', { config: { surface: anthropicMessagesSurface } }, async (request, reply) => {
    if (request.body === undefined || request.body === null) throw invalidJson();
    const parsed = parseCountTokensRequest(request.body);
    const gateway = currentGateway();
    const key = request.apiKey;
    if (key === undefined || !keyAllowsModel(key, parsed.model) || !gateway.catalogue.resolve(parsed.model)) {
      throw new GatewayError(
        'model_not_found',
        `The model \`${capText(parsed.model)}\` does not exist or you do not have access to it.`,
        { param: 'model' },
      );
    }
    const countTexts = gateway.countTokens?.bind(gateway) ?? roughTokenCount;
    reply.header('content-type', 'application/json');
    return { input_tokens: parsed.inputTokens(countTexts) };
  });
}

function roughTokenCount(texts: readonly string[]): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return Math.ceil(chars / 4);
}
