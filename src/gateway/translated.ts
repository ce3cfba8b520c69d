import { GatewayError } from '../core/errors.ts';
import type { ChatResult, StreamEvent, Usage } from '../core/types.ts';
import { tryParseJson } from '../lib/json.ts';
import { SseDecoder } from '../lib/sse.ts';
import type { DeploymentTarget, ProviderAdapter } from '../providers/types.ts';
import type { UpstreamResponse } from '../upstream/types.ts';
import type { ClientResponse } from './client-response.ts';
import type { StreamResult } from './passthrough.ts';
import { asTooLargeError, readAll } from './read-body.ts';

/** Renders canonical results and events in the client's wire format. */
export interface SurfaceRenderer {
  renderResult(result: ChatResult): string;
  createStreamRenderer(): { render(event: StreamEvent): string; end(): string };
  renderStreamError(error: GatewayError): string;
}

/** Non-streaming translated response: parse the upstream body into the canonical result. */
export async function readTranslatedResult(
  upstream: UpstreamResponse,
  adapter: ProviderAdapter,
  target: DeploymentTarget,
): Promise<ChatResult> {
  const text = (await readAll(upstream)).toString('utf8');
  const parsed = tryParseJson(text);
  if (parsed === undefined)
    throw new GatewayError('upstream_bad_response', 'upstream returned a body that is not JSON');
  return adapter.parseResponse(parsed, target);
}

/** Upstream SSE → canonical events, one batch per upstream chunk. Throws on upstream error events. */
export async function* upstreamEvents(
  upstream: UpstreamResponse,
  adapter: ProviderAdapter,
  target: DeploymentTarget,
): AsyncGenerator<StreamEvent[]> {
  const decoder = new SseDecoder({ maxFrameBytes: upstream.limits.maxEventBytes });
  const parser = adapter.createStreamParser(target);
  for await (const chunk of upstream.body) {
    const events: StreamEvent[] = [];
    for (const sse of decoder.push(chunk)) events.push(...parser.push(sse));
    if (events.length > 0) yield events;
  }
  const tail: StreamEvent[] = [];
  for (const sse of decoder.end()) tail.push(...parser.push(sse));
  tail.push(...parser.end());
  if (tail.length > 0) yield tail;
}

/**
 * Writes canonical events to the client in its wire format. Headers are committed with the first
 * frame that renders bytes, so a failure before that can still be retried elsewhere.
 */
export async function pipeEvents(
  source: AsyncIterable<StreamEvent[]>,
  client: ClientResponse,
  headers: Record<string, string>,
  surface: SurfaceRenderer,
): Promise<StreamResult> {
  const renderer = surface.createStreamRenderer();
  let usage: Usage | undefined;
  try {
    for await (const events of source) {
      let out = '';
      for (const event of events) {
        if (event.type === 'usage') usage = event.usage;
        if (event.type === 'error') throw streamEventError(event.error);
        out += renderer.render(event);
      }
      if (!out) continue;
      client.startStream(headers);
      await client.write(out);
    }
  } catch (thrown) {
    const error = asTooLargeError(thrown);
    const failure =
      error instanceof GatewayError
        ? error
        : new GatewayError('upstream_bad_response', 'upstream stream failed', { cause: error });
    if (!client.started) throw failure;
    if (failure.code !== 'client_closed') client.end(surface.renderStreamError(failure));
    return { usage, error: failure };
  }
  client.startStream(headers);
  client.end(renderer.end());
  return { usage, error: undefined };
}

function streamEventError(error: { code: string; message: string; status: number }): GatewayError {
  const retryable = error.status >= 500 || error.status === 429;
  return new GatewayError('upstream_error', error.message, { status: error.status, retryable, wireCode: error.code });
}
