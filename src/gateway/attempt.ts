import type { GatewayError } from '../core/errors.ts';
import type { ChatRequest, Usage } from '../core/types.ts';
import type { OpenAIChatRequest } from '../protocols/openai-chat.ts';
import { buildOpenAIHttpRequest, preparePassthroughBody } from '../providers/openai-compatible/index.ts';
import type { BuiltRequest, DeploymentTarget } from '../providers/types.ts';
import type { UpstreamResponse, UpstreamTimeouts } from '../upstream/types.ts';
import type { ClientResponse } from './client-response.ts';
import { mergeEventStreams, mergeResults } from './fan-out.ts';
import { passthroughJson, passthroughStream } from './passthrough.ts';
import { withRetryHint } from './retry-hint.ts';
import { pipeEvents, readTranslatedResult, type SurfaceRenderer, upstreamEvents } from './translated.ts';
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
  return input.runtime.adapter.speaksOpenAIChat === true ? runPassthrough(input) : runTranslated(input);
}

async function runPassthrough(input: AttemptInput): Promise<AttemptResult> {
  const { target, client, clientBody } = input;
  const prepared = preparePassthroughBody(clientBody, target);
  const built: BuiltRequest = { request: buildOpenAIHttpRequest(prepared.body, target), warnings: prepared.warnings };
  const [upstream] = await sendAll(input, [built]);
  const headers = servedByHeaders({ ...input.servedBy, warnings: built.warnings });
  if (clientBody.stream !== true) {
    return { usage: await passthroughJson(upstream as UpstreamResponse, client, headers), streamError: undefined };
  }
  const wantsUsage = clientBody.stream_options?.include_usage === true;
  const result = await passthroughStream(upstream as UpstreamResponse, client, headers, wantsUsage, (e) =>
    input.surface.renderStreamError(e),
  );
  return { usage: result.usage, streamError: result.error };
}

/**
 * Translated attempt. When the client asks for more choices than one upstream request can give
 * (Claude has no `n`), llmux sends several requests at once and merges them into one answer.
 */
async function runTranslated(input: AttemptInput): Promise<AttemptResult> {
  const { runtime, target, client } = input;
  const request = input.canonical();
  const wanted = request.n ?? 1;
  const perRequest = Math.max(1, runtime.adapter.maxChoicesPerRequest ?? wanted);
  const parts: ChatRequest[] = [];
  for (let remaining = wanted; remaining > 0; remaining -= perRequest) {
    const n = Math.min(perRequest, remaining);
    const part = { ...request };
    if (n > 1) part.n = n;
    else delete part.n;
    parts.push(part);
  }
  const built = parts.map((part) => runtime.adapter.buildRequest(part, target));
  const warnings = built[0]?.warnings ?? [];
  if (parts.length > 1) warnings.push(`n=${wanted} served by ${parts.length} parallel upstream requests`);
  const responses = await sendAll(input, built);
  const headers = servedByHeaders({ ...input.servedBy, warnings });
  if (!request.stream) {
    const results = await Promise.all(
      responses.map((upstream) => readTranslatedResult(upstream, runtime.adapter, target)),
    );
    const result = results.length === 1 ? (results[0] as (typeof results)[0]) : mergeResults(results);
    client.send(200, { 'content-type': 'application/json', ...headers }, input.surface.renderResult(result));
    return { usage: result.usage, streamError: undefined };
  }
  const sources = responses.map((upstream) => upstreamEvents(upstream, runtime.adapter, target));
  const source = sources.length === 1 ? (sources[0] as (typeof sources)[0]) : mergeEventStreams(sources, perRequest);
  const result = await pipeEvents(source, client, headers, input.surface);
  return { usage: result.usage, streamError: result.error };
}

/** Sends requests concurrently; if any answers an error, the others are released and that error is thrown. */
async function sendAll(input: AttemptInput, built: BuiltRequest[]): Promise<UpstreamResponse[]> {
  const { runtime, target } = input;
  const settled = await Promise.allSettled(
    built.map((b) => runtime.transport.send(b.request, { signal: input.signal, timeouts: input.timeouts })),
  );
  const responses = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const failed = responses.find((response) => response.status >= 400);
  if (rejected || failed) {
    for (const response of responses) if (response !== failed) response.discard();
    if (rejected) throw rejected.reason;
    const body = await (failed as UpstreamResponse).text().catch(() => '');
    const { status, headers } = failed as UpstreamResponse;
    throw withRetryHint(runtime.adapter.parseError(status, body, headers, target), headers);
  }
  return responses;
}
