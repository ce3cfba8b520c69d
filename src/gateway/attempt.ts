import { GatewayError } from '../core/errors.ts';
import type { ChatRequest, Usage } from '../core/types.ts';
import type { OpenAIChatRequest } from '../protocols/openai-chat.ts';
import { buildOpenAIHttpRequest, preparePassthroughBody } from '../providers/openai-compatible/index.ts';
import type { BuiltRequest, DeploymentTarget } from '../providers/types.ts';
import type { UpstreamTimeouts } from '../upstream/types.ts';
import type { ClientResponse } from './client-response.ts';
import { passthroughJson, passthroughStream } from './passthrough.ts';
import { type SurfaceRenderer, pipeTranslatedStream, readTranslatedResult } from './translated.ts';
import { type ProviderRuntime, type ServedBy, servedByHeaders } from './types.ts';

export interface AttemptInput {
  runtime: ProviderRuntime;
  target: DeploymentTarget;
  timeouts: UpstreamTimeouts;
  signal: AbortSignal;
  client: ClientResponse;
  clientBody: OpenAIChatRequest;
  /** Built lazily: only translated attempts need the canonical form. */
  canonical: () => ChatRequest;
  surface: SurfaceRenderer;
  servedBy: Omit<ServedBy, 'warnings'>;
}

export interface AttemptResult {
  usage: Usage | undefined;
  /** Set when the stream failed after bytes reached the client (not retryable). */
  streamError: GatewayError | undefined;
}

/**
 * One upstream attempt. Throws a GatewayError when it fails before anything reached the client,
 * so the caller may retry elsewhere.
 */
export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { runtime, target, client, clientBody } = input;
  const passthrough = runtime.adapter.speaksOpenAIChat === true;
  const built = passthrough ? buildPassthrough(clientBody, target) : runtime.adapter.buildRequest(input.canonical(), target);
  const upstream = await runtime.transport.send(built.request, { signal: input.signal, timeouts: input.timeouts });
  if (upstream.status >= 400) {
    const body = await upstream.text().catch(() => '');
    throw runtime.adapter.parseError(upstream.status, body, upstream.headers, target);
  }
  const headers = servedByHeaders({ ...input.servedBy, warnings: built.warnings });
  const stream = clientBody.stream === true;
  const wantsUsage = clientBody.stream_options?.include_usage === true;
  if (passthrough) {
    if (!stream) return { usage: await passthroughJson(upstream, client, headers), streamError: undefined };
    const result = await passthroughStream(upstream, client, headers, wantsUsage, (e) => input.surface.renderStreamError(e));
    return { usage: result.usage, streamError: result.error };
  }
  if (!stream) {
    const result = await readTranslatedResult(upstream, runtime.adapter, target);
    client.send(200, { 'content-type': 'application/json', ...headers }, input.surface.renderResult(result));
    return { usage: result.usage, streamError: undefined };
  }
  const result = await pipeTranslatedStream(upstream, runtime.adapter, target, client, headers, input.surface);
  return { usage: result.usage, streamError: result.error };
}

function buildPassthrough(body: OpenAIChatRequest, target: DeploymentTarget): BuiltRequest {
  const prepared = preparePassthroughBody(body, target);
  return { request: buildOpenAIHttpRequest(prepared.body, target), warnings: prepared.warnings };
}
