import { GatewayError } from '../core/errors.ts';
import type { ChatResult, StreamEvent, Usage } from '../core/types.ts';
import { tryParseJson } from '../lib/json.ts';
import { SseDecoder } from '../lib/sse.ts';
import type { DeploymentTarget, ProviderAdapter } from '../providers/types.ts';
import type { UpstreamResponse } from '../upstream/types.ts';
import type { ClientResponse } from './client-response.ts';
import type { StreamResult } from './passthrough.ts';
import { readAll } from './read-body.ts';

/** Renders canonical results and events in the client's wire format. */
export interface SurfaceRenderer {
  renderResult(result: ChatResult): string;
  createStreamRenderer(): { render(event: StreamEvent): string; end(): string };
  renderStreamError(error: GatewayError): string;
}

/** Non-streaming translated response: parse the upstream body, return the canonical result. */
export async function readTranslatedResult(
  upstream: UpstreamResponse,
  adapter: ProviderAdapter,
  target: DeploymentTarget,
): Promise<ChatResult> {
  const text = (await readAll(upstream.body)).toString('utf8');
  const parsed = tryParseJson(text);
  if (parsed === undefined) throw new GatewayError('upstream_bad_response', 'upstream returned a body that is not JSON');
  return adapter.parseResponse(parsed, target);
}

/**
 * Streaming translated response: upstream SSE → adapter events → client frames. Headers are
 * committed with the first frame that renders bytes.
 */
export async function pipeTranslatedStream(
  upstream: UpstreamResponse,
  adapter: ProviderAdapter,
  target: DeploymentTarget,
  client: ClientResponse,
  headers: Record<string, string>,
  surface: SurfaceRenderer,
): Promise<StreamResult> {
  const decoder = new SseDecoder();
  const parser = adapter.createStreamParser(target);
  const renderer = surface.createStreamRenderer();
  let usage: Usage | undefined;
  const emit = async (events: StreamEvent[]): Promise<void> => {
    let out = '';
    for (const event of events) {
      if (event.type === 'usage') usage = event.usage;
      if (event.type === 'error') throw new GatewayError('upstream_error', event.error.message, { status: event.error.status, retryable: event.error.status >= 500 || event.error.status === 429 });
      out += renderer.render(event);
    }
    if (!out) return;
    client.startStream(headers);
    await client.write(out);
  };
  try {
    for await (const chunk of upstream.body) {
      for (const sse of decoder.push(chunk)) await emit(parser.push(sse));
    }
    for (const sse of decoder.end()) await emit(parser.push(sse));
    await emit(parser.end());
  } catch (error) {
    const failure = error instanceof GatewayError ? error : new GatewayError('upstream_bad_response', 'upstream stream failed', { cause: error });
    if (!client.started) throw failure;
    if (failure.code !== 'client_closed') client.end(surface.renderStreamError(failure));
    return { usage, error: failure };
  }
  client.startStream(headers);
  client.end(renderer.end());
  return { usage, error: undefined };
}
