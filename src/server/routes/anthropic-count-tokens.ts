import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import type { Gateway } from '../../gateway/context.ts';
import { assertSafeWildcardMatch } from '../../gateway/deployment-target.ts';
import { countTokensUpstream } from '../../gateway/upstream-token-count.ts';
import { capText } from '../../lib/cap-text.ts';
import { keyAllowsModel } from '../../policy/key-ring.ts';
import {
  anthropicMessagesSurface,
  forwardedAnthropicHeaders,
  parseCountTokensRequest,
} from '../../surfaces/anthropic-messages/index.ts';
import { invalidJson } from '../errors.ts';

/**
 * `POST /v1/messages/count_tokens` (Anthropic's, also with `?beta=true`): `{"input_tokens": N}` for
 * a Messages request without `max_tokens`. When the model routes to an Anthropic deployment the
 * body goes to its `/v1/messages/count_tokens` (model rewritten, the client's `anthropic-version`
 * and `anthropic-beta` forwarded, the provider's key) and Claude's own count comes back as sent.
 * Otherwise, or when that call fails (said in `x-llmux-warnings`), llmux counts with its tokenizer:
 * an estimate, as the gateway's limits use it. No request-log row either way. The key must be
 * allowed the model, and the model must exist; errors are in Anthropic's envelope.
 */
export function registerAnthropicCountTokensRoute(app: FastifyInstance, currentGateway: () => Gateway): void {
  app.post('/v1/messages/count_tokens', { config: { surface: anthropicMessagesSurface } }, async (request, reply) => {
    if (request.body === undefined || request.body === null) throw invalidJson();
    const parsed = parseCountTokensRequest(request.body);
    const gateway = currentGateway();
    const key = request.apiKey;
    const resolved = gateway.catalogue.resolve(parsed.model);
    if (key === undefined || !keyAllowsModel(key, parsed.model) || resolved === undefined) {
      throw new GatewayError(
        'model_not_found',
        `The model \`${capText(parsed.model)}\` does not exist or you do not have access to it.`,
        { param: 'model' },
      );
    }
    assertSafeWildcardMatch(resolved, parsed.model, gateway.providers);
    // The client leaving cancels the upstream call.
    const abort = new AbortController();
    const onClose = () => abort.abort();
    reply.raw.once('close', onClose);
    const upstream = await countTokensUpstream(
      gateway,
      anthropicMessagesSurface,
      resolved,
      parsed.wireBody,
      forwardedAnthropicHeaders(request.headers),
      abort.signal,
    ).finally(() => reply.raw.off('close', onClose));
    reply.header('content-type', 'application/json');
    if (upstream.kind === 'counted') {
      reply.headers(upstream.headers);
      return reply.send(upstream.body);
    }
    if (upstream.warning !== undefined) reply.header('x-llmux-warnings', upstream.warning);
    const countTexts = gateway.countTokens?.bind(gateway) ?? roughTokenCount;
    return { input_tokens: parsed.inputTokens(countTexts) };
  });
}

function roughTokenCount(texts: readonly string[]): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return Math.ceil(chars / 4);
}
