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
import { SiblingSignals } from './sibling-signals.ts';
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
  const [upstream] = await sendAll(input, [built], new SiblingSignals(input.signal, 1));
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
  // However the attempt ends (one request failing, the client leaving), none of the parallel
  // requests outlives it.
  const siblings = new SiblingSignals(input.signal, built.length);
  try {
    const responses = await sendAll(input, built, siblings);
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
    const source =
      sources.length === 1
        ? (sources[0] as (typeof sources)[0])
        : mergeEventStreams(sources, perRequest, () => siblings.release());
    const result = await pipeEvents(source, client, headers, input.surface);
    return { usage: result.usage, streamError: result.error };
  } finally {
    siblings.release();
  }
}

/**
 * Sends requests concurrently. The first to fail (no response, or an HTTP error) aborts the
 * others at once; their responses, if any came, are released, and that first failure is thrown.
 */
async function sendAll(
  input: AttemptInput,
  built: BuiltRequest[],
  siblings: SiblingSignals,
): Promise<UpstreamResponse[]> {
  const { runtime, timeouts } = input;
  let failedAt: number | undefined;
  const fail = (index: number): void => {
    if (failedAt !== undefined) return;
    failedAt = index;
    siblings.abortOthers(index);
  };
  const settled = await Promise.allSettled(
    built.map((b, index) =>
      runtime.transport.send(b.request, { signal: siblings.signal(index), timeouts }).then(
        (response) => {
          if (response.status >= 400) fail(index);
          return response;
        },
        (error: unknown) => {
          fail(index);
          throw error;
        },
      ),
    ),
  );
  if (failedAt === undefined) return settled.map((s) => (s as PromiseFulfilledResult<UpstreamResponse>).value);
  settled.forEach((s, index) => {
    if (index !== failedAt && s.status === 'fulfilled') s.value.discard();
  });
  const failed = settled[failedAt] as PromiseSettledResult<UpstreamResponse>;
  if (failed.status === 'rejected') throw failed.reason;
  throw await upstreamHttpError(input, failed.value);
}

async function upstreamHttpError(input: AttemptInput, failed: UpstreamResponse): Promise<GatewayError> {
  const body = await failed.text().catch(() => '');
  const { status, headers } = failed;
  return withRetryHint(input.runtime.adapter.parseError(status, body, headers, input.target), headers);
}
