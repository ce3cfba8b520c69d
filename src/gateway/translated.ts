import { GatewayError } from '../core/errors.ts';
import type { ChatRequest, ChatResult, StreamEvent, Usage } from '../core/types.ts';
import { tryParseJson } from '../lib/json.ts';
import type { DeploymentTarget, ProviderAdapter, StreamParserOptions } from '../providers/types.ts';
import type { SurfaceRequest } from '../surfaces/types.ts';
import type { UpstreamResponse } from '../upstream/types.ts';
import { asGatewayError } from './as-gateway-error.ts';
import type { ClientResponse } from './client-response.ts';
import type { OutputTally } from './output-tally.ts';
import type { StreamResult } from './passthrough.ts';
import { readAll } from './read-body.ts';
import { endStreamWithError } from './stream-error.ts';

/** Non-streaming translated response: parse the upstream body into the canonical result. */
export async function readTranslatedResult(
  upstream: UpstreamResponse,
  adapter: ProviderAdapter,
  target: DeploymentTarget,
  request?: ChatRequest,
): Promise<ChatResult> {
  const text = (await readAll(upstream)).toString('utf8');
  const parsed = tryParseJson(text);
  if (parsed === undefined)
    throw new GatewayError('upstream_bad_response', 'upstream returned a body that is not JSON');
  return adapter.parseResponse(parsed, target, request);
}

/**
 * Upstream body → canonical events, one batch per upstream chunk. The adapter's parser does the
 * framing (SSE or its own) under the per-event size cap. Throws on upstream error events.
 */
export async function* upstreamEvents(
  upstream: UpstreamResponse,
  adapter: ProviderAdapter,
  target: DeploymentTarget,
  request?: ChatRequest,
): AsyncGenerator<StreamEvent[]> {
  const options: StreamParserOptions = { maxEventBytes: upstream.limits.maxEventBytes };
  if (request) options.request = request;
  const parser = adapter.createStreamParser(target, options);
  for await (const chunk of upstream.body) {
    const events = parser.push(chunk);
    if (events.length > 0) yield events;
  }
  const tail = parser.end();
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
  surface: Pick<SurfaceRequest, 'createStreamRenderer' | 'renderStreamError'>,
  output: OutputTally,
): Promise<StreamResult> {
  const renderer = surface.createStreamRenderer();
  let usage: Usage | undefined;
  try {
    for await (const events of source) {
      let out = '';
      for (const event of events) {
        if (event.type === 'usage') usage = event.usage;
        if (event.type === 'error') throw event.error;
        output.addEvent(event);
        out += renderer.render(event);
      }
      if (!out) continue;
      client.startStream(headers);
      await client.write(out);
    }
  } catch (thrown) {
    const failure = asGatewayError(thrown, 'upstream_bad_response');
    if (!client.started) throw failure;
    return { usage, error: endStreamWithError(client, failure, (error) => surface.renderStreamError(error)) };
  }
  client.startStream(headers);
  client.end(renderer.end());
  return { usage, error: undefined };
}
