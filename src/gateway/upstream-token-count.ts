/**
 * Token counting by the upstream itself (Anthropic's `/v1/messages/count_tokens`): the client's
 * body goes to the first deployment of the model that speaks the surface's format, with only
 * `model` rewritten, through the provider's `prepareTokenCount`. Whatever goes wrong is reported,
 * never thrown: the route then counts with llmux's tokenizer and says why in `x-llmux-warnings`.
 */
import { isRecord, tryParseJson } from '../lib/json.ts';
import type { ResolvedModel } from '../routing/types.ts';
import type { Surface } from '../surfaces/types.ts';
import { asGatewayError } from './as-gateway-error.ts';
import { passthroughHooksFor } from './attempt.ts';
import type { Gateway } from './context.ts';
import { toDeploymentTarget } from './deployment-target.ts';
import { readAll } from './read-body.ts';
import { type ServedBy, servedByHeaders } from './types.ts';

export type UpstreamTokenCount =
  /** The upstream's answer, as it sent it, and the headers that say who counted. */
  | { kind: 'counted'; body: Buffer; headers: Record<string, string> }
  /** No deployment of the model can count; `warning` says why when one of its format was there. */
  | { kind: 'not-counted'; warning?: string };

export async function countTokensUpstream(
  gateway: Gateway,
  surface: Surface,
  resolved: ResolvedModel,
  wireBody: object,
  clientHeaders: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<UpstreamTokenCount> {
  for (const deployment of resolved.model.deployments) {
    const runtime = gateway.providers.get(deployment.providerName);
    const hooks = runtime === undefined ? undefined : passthroughHooksFor(surface, runtime.adapter);
    if (runtime === undefined || hooks === undefined) continue;
    const { adapter } = runtime;
    const prepare = hooks.prepareTokenCount?.bind(hooks);
    if (prepare === undefined) return notCounted(`provider ${runtime.name} has no token counting endpoint`);
    const target = toDeploymentTarget(runtime, deployment, resolved);
    const built = prepare(wireBody, target, { stream: false, streamFraming: 'sse', headers: clientHeaders });
    try {
      const upstream = await runtime.transport.send(built.request, { signal, timeouts: deployment.timeouts });
      if (upstream.status >= 400) {
        const text = await upstream.text().catch(() => '');
        const error = adapter.parseError(upstream.status, text, upstream.headers, target);
        return notCounted(`provider ${runtime.name} answered ${upstream.status} (${error.code})`);
      }
      const body = await readAll(upstream);
      const parsed = tryParseJson(body.toString('utf8'));
      if (!isRecord(parsed) || typeof parsed.input_tokens !== 'number') {
        return notCounted(`provider ${runtime.name} answered without input_tokens`);
      }
      const servedBy: ServedBy = {
        provider: runtime.name,
        model: target.model,
        attempts: 1,
        fallbackModels: [],
        warnings: built.warnings,
      };
      return { kind: 'counted', body, headers: servedByHeaders(servedBy) };
    } catch (thrown) {
      return notCounted(`provider ${runtime.name} failed (${asGatewayError(thrown, 'upstream_bad_response').code})`);
    }
  }
  return { kind: 'not-counted' };
}

function notCounted(reason: string): UpstreamTokenCount {
  return { kind: 'not-counted', warning: `count_tokens: ${reason}; counted by llmux's tokenizer (an estimate)` };
}
