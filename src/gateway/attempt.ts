import type { GatewayError } from '../core/errors.ts';
import type { ChatRequest, Usage } from '../core/types.ts';
import type { BuiltRequest, DeploymentTarget, PassthroughHooks, ProviderAdapter } from '../providers/types.ts';
import type { Surface, SurfaceRequest } from '../surfaces/types.ts';
import type { UpstreamResponse, UpstreamTimeouts } from '../upstream/types.ts';
import type { RequestContext } from './context.ts';
import { runEmbeddingAttempt } from './embedding-attempt.ts';
import { mergeEventStreams, mergeResults } from './fan-out.ts';
import { jsonOutputDecoder, streamOutputDecoder } from './output-decoders.ts';
import { passthroughJson, passthroughStream } from './passthrough.ts';
import { SiblingSignals } from './sibling-signals.ts';
import { withTraceHeaders } from './trace-headers.ts';
import { pipeEvents, readTranslatedResult, upstreamEvents } from './translated.ts';
import { type ProviderRuntime, type ServedBy, servedByHeaders } from './types.ts';

/** One upstream attempt: where it goes. */
export interface AttemptTarget {
  runtime: ProviderRuntime;
  target: DeploymentTarget;
  timeouts: UpstreamTimeouts;
  servedBy: Omit<ServedBy, 'warnings'>;
  /** `traceparent` (and `tracestate`) naming this attempt's span; set only when tracing is on. */
  traceHeaders?: Record<string, string> | undefined;
}

export interface AttemptResult {
  usage: Usage | undefined;
  /** Set when the stream failed after bytes reached the client (not retryable). */
  streamError: GatewayError | undefined;
}

/**
 * Passthrough happens exactly when the client's wire format is one the upstream speaks, and it
 * knows how. The hooks for the surface are `passthroughHooksFor`'s (`adapter.passthrough` only
 * when the surface speaks the adapter's main `wireFormat`).
 */
export function passesThrough(
  surface: Surface,
  adapter: ProviderAdapter,
): adapter is ProviderAdapter & { passthrough: PassthroughHooks } {
  return passthroughHooksFor(surface, adapter) !== undefined;
}

export function passthroughHooksFor(surface: Surface, adapter: ProviderAdapter): PassthroughHooks | undefined {
  if (adapter.wireFormat === surface.wireFormat) return adapter.passthrough;
  return adapter.otherPassthroughs?.[surface.wireFormat];
}

/**
 * One upstream attempt. Throws a GatewayError when it fails before anything reached the client,
 * so the caller may retry elsewhere.
 */
export async function runAttempt(ctx: RequestContext, attempt: AttemptTarget): Promise<AttemptResult> {
  const adapter = attempt.runtime.adapter;
  const embedding = ctx.request.embedding;
  if (embedding !== undefined) return runEmbeddingAttempt(ctx, attempt, embedding);
  const hooks = passthroughHooksFor(ctx.surface, adapter);
  return hooks ? runPassthrough(ctx, attempt, hooks) : runTranslated(ctx, attempt);
}

async function runPassthrough(
  ctx: RequestContext,
  attempt: AttemptTarget,
  hooks: PassthroughHooks,
): Promise<AttemptResult> {
  const { client, request } = ctx;
  const prepared = hooks.prepare(request.wireBody, attempt.target, {
    stream: request.stream,
    streamFraming: request.streamFraming ?? 'sse',
    headers: request.passthroughHeaders,
  });
  const [upstream] = await sendAll(attempt, [prepared], new SiblingSignals(ctx.signal, 1));
  const headers = servedByHeaders({ ...attempt.servedBy, warnings: prepared.warnings });
  const { adapter } = attempt.runtime;
  const outputTexts = prepared.outputTexts;
  const ownDecoder = outputTexts && ((bytes: Buffer) => ({ texts: outputTexts(bytes), finishReasons: [] }));
  if (!request.stream) {
    const output = {
      tally: ctx.output,
      decoder: ownDecoder ?? jsonOutputDecoder(adapter, attempt.target),
      keep: ctx.record.trace?.sampled === true,
    };
    return {
      usage: await passthroughJson(upstream as UpstreamResponse, client, headers, prepared, output),
      streamError: undefined,
    };
  }
  const filter = prepared.createStreamFilter();
  const streamHeaders = withStreamContentType(headers, request);
  const output = { tally: ctx.output, decoder: ownDecoder ?? streamOutputDecoder(adapter, attempt.target) };
  const result = await passthroughStream(
    upstream as UpstreamResponse,
    client,
    streamHeaders,
    filter,
    ctx.renderStreamError,
    output,
  );
  return { usage: result.usage, streamError: result.error };
}

/**
 * Translated attempt. When the client asks for more choices than one upstream request can give
 * (Claude has no `n`), llmux sends several requests at once and merges them into one answer.
 */
async function runTranslated(ctx: RequestContext, attempt: AttemptTarget): Promise<AttemptResult> {
  const { runtime, target } = attempt;
  const { client } = ctx;
  const request = ctx.request.canonical();
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
  const warnings = [...(ctx.request.translationWarnings?.() ?? []), ...(built[0]?.warnings ?? [])];
  if (parts.length > 1) warnings.push(`n=${wanted} served by ${parts.length} parallel upstream requests`);
  // However the attempt ends (one request failing, the client leaving), none of the parallel
  // requests outlives it.
  const siblings = new SiblingSignals(ctx.signal, built.length);
  try {
    const responses = await sendAll(attempt, built, siblings);
    const headers = servedByHeaders({ ...attempt.servedBy, warnings });
    if (!request.stream) {
      const results = await Promise.all(
        responses.map((upstream, i) => readTranslatedResult(upstream, runtime.adapter, target, parts[i])),
      );
      const result = results.length === 1 ? (results[0] as (typeof results)[0]) : mergeResults(results);
      // A traced request keeps its output for the span's finish reasons (and content, when captured).
      if (result.usage === undefined || ctx.record.trace?.sampled === true) ctx.output.addResult(result);
      client.send(200, { 'content-type': 'application/json', ...headers }, ctx.request.renderResult(result));
      return { usage: result.usage, streamError: undefined };
    }
    const sources = responses.map((upstream, i) => upstreamEvents(upstream, runtime.adapter, target, parts[i]));
    const source =
      sources.length === 1
        ? (sources[0] as (typeof sources)[0])
        : mergeEventStreams(sources, perRequest, () => siblings.release());
    const result = await pipeEvents(
      source,
      client,
      withStreamContentType(headers, ctx.request),
      ctx.request,
      ctx.output,
    );
    return { usage: result.usage, streamError: result.error };
  } finally {
    siblings.release();
  }
}

/** A stream that is not SSE (a Gemini JSON array) goes out as application/json. */
function withStreamContentType(
  headers: Record<string, string>,
  request: Pick<SurfaceRequest, 'streamFraming'>,
): Record<string, string> {
  return request.streamFraming === 'json-array'
    ? { ...headers, 'content-type': 'application/json; charset=UTF-8' }
    : headers;
}

/**
 * Sends requests concurrently. The first to fail (no response, or an HTTP error) aborts the
 * others at once; their responses, if any came, are released, and that first failure is thrown.
 */
async function sendAll(
  attempt: AttemptTarget,
  built: BuiltRequest[],
  siblings: SiblingSignals,
): Promise<UpstreamResponse[]> {
  const { runtime, timeouts } = attempt;
  let failedAt: number | undefined;
  const fail = (index: number): void => {
    if (failedAt !== undefined) return;
    failedAt = index;
    siblings.abortOthers(index);
  };
  const settled = await Promise.allSettled(
    built.map((b, index) =>
      runtime.transport.send(withTraceHeaders(b.request, attempt), { signal: siblings.signal(index), timeouts }).then(
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
  throw await upstreamHttpError(attempt, failed.value);
}

async function upstreamHttpError(attempt: AttemptTarget, failed: UpstreamResponse): Promise<GatewayError> {
  const body = await failed.text().catch(() => '');
  const { status, headers } = failed;
  return attempt.runtime.adapter.parseError(status, body, headers, attempt.target);
}
