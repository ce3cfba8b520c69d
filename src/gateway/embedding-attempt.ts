/**
 * Embeddings through the same lifecycle as chat: serve.ts checks the chain with
 * `checkEmbeddingChain`, attempt.ts hands each attempt of an embeddings request to
 * `runEmbeddingAttempt`. Passthrough when the deployment's embeddings API speaks the surface's
 * format, else canonical ⇄ the provider's embeddings API. Never a stream.
 */
import { GatewayError } from '../core/errors.ts';
import type { Usage } from '../core/types.ts';
import { tryParseJson } from '../lib/json.ts';
import type { BuiltRequest, EmbeddingHooks } from '../providers/types.ts';
import type { ResolvedModel } from '../routing/types.ts';
import type { EmbeddingOperation, Surface } from '../surfaces/types.ts';
import type { UpstreamResponse } from '../upstream/types.ts';
import type { AttemptResult, AttemptTarget } from './attempt.ts';
import type { RequestContext } from './context.ts';
import { readAll } from './read-body.ts';
import { withTraceHeaders } from './trace-headers.ts';
import { servedByHeaders } from './types.ts';

/** Passthrough happens when the provider's embeddings API is the surface's format and it knows how. */
function embeddingPassesThrough(
  surface: Surface,
  hooks: EmbeddingHooks,
): hooks is EmbeddingHooks & { passthrough: NonNullable<EmbeddingHooks['passthrough']> } {
  return hooks.passthrough !== undefined && hooks.wireFormat === surface.wireFormat;
}

/**
 * Before any attempt: every deployment of the chain must have an embeddings API (a model on
 * Anthropic has none: 400 naming `model`), and input only passthrough can carry is a 400 when
 * some deployment translates.
 */
export function checkEmbeddingChain(ctx: RequestContext, chain: ResolvedModel[], operation: EmbeddingOperation): void {
  let translates = false;
  for (const resolved of chain) {
    for (const deployment of resolved.model.deployments) {
      const runtime = ctx.gateway.providers.get(deployment.providerName);
      if (runtime === undefined) continue;
      const hooks = runtime.adapter.embeddings;
      if (hooks === undefined) {
        throw new GatewayError(
          'invalid_request',
          `The model \`${resolved.model.name}\` does not support embeddings: its provider \`${runtime.name}\` (type ${runtime.type}) has no embeddings API.`,
          { param: 'model' },
        );
      }
      if (!embeddingPassesThrough(ctx.surface, hooks)) translates = true;
    }
  }
  if (translates) operation.canonical();
}

/** One upstream attempt of an embeddings request; throws a GatewayError when it fails (it may be retried). */
export async function runEmbeddingAttempt(
  ctx: RequestContext,
  attempt: AttemptTarget,
  operation: EmbeddingOperation,
): Promise<AttemptResult> {
  const { adapter } = attempt.runtime;
  const hooks = adapter.embeddings;
  if (hooks === undefined)
    throw new GatewayError('internal_error', `provider ${attempt.runtime.name} has no embeddings`);
  if (embeddingPassesThrough(ctx.surface, hooks)) {
    const prepared = hooks.passthrough.prepare(ctx.request.wireBody, attempt.target);
    const upstream = await send(ctx, attempt, prepared);
    const { body, usage } = prepared.readBody(await readAll(upstream));
    ctx.client.send(200, jsonHeaders(attempt, prepared.warnings), body);
    return { usage, streamError: undefined };
  }
  const request = operation.canonical();
  const built = hooks.buildEmbeddingRequest(request, attempt.target);
  const upstream = await send(ctx, attempt, built);
  const parsed = tryParseJson((await readAll(upstream)).toString('utf8'));
  if (parsed === undefined)
    throw new GatewayError('upstream_bad_response', 'upstream returned a body that is not JSON');
  const result = hooks.parseEmbeddingResponse(parsed, attempt.target, request);
  // The client's answer carries usage: what the upstream did not count is counted here, and flagged.
  result.usage ??= estimatedUsage(ctx);
  const warnings = [...(ctx.request.translationWarnings?.() ?? []), ...built.warnings];
  ctx.client.send(200, jsonHeaders(attempt, warnings), operation.renderResult(result));
  return { usage: result.usage, streamError: undefined };
}

async function send(ctx: RequestContext, attempt: AttemptTarget, built: BuiltRequest): Promise<UpstreamResponse> {
  const { runtime, timeouts, target } = attempt;
  const upstream = await runtime.transport.send(withTraceHeaders(built.request, attempt), {
    signal: ctx.signal,
    timeouts,
  });
  if (upstream.status < 400) return upstream;
  const body = await upstream.text().catch(() => '');
  throw runtime.adapter.parseError(upstream.status, body, upstream.headers, target);
}

function jsonHeaders(attempt: AttemptTarget, warnings: string[]): Record<string, string> {
  return { 'content-type': 'application/json', ...servedByHeaders({ ...attempt.servedBy, warnings }) };
}

/** The inputs' tokens, counted once per request (the same estimate admission may have made). */
function estimatedUsage(ctx: RequestContext): Usage {
  const count = ctx.gateway.countTokens?.bind(ctx.gateway) ?? roughTokenCount;
  ctx.inputTokenEstimate ??= ctx.request.estimateInputTokens(count);
  return { inputTokens: ctx.inputTokenEstimate, outputTokens: 0, estimated: true };
}

function roughTokenCount(texts: readonly string[]): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return Math.ceil(chars / 4);
}
