import { GatewayError } from '../core/errors.ts';
import type { Usage } from '../core/types.ts';
import { redactErrorFrame } from '../lib/redact-error-frame.ts';
import { decodeSseFrame, SseFramer } from '../lib/sse.ts';
import type { PassthroughStreamFilter, PreparedPassthrough } from '../providers/types.ts';
import type { UpstreamResponse } from '../upstream/types.ts';
import { asGatewayError } from './as-gateway-error.ts';
import type { ClientResponse } from './client-response.ts';
import { frameDataIsJson } from './frame-shape.ts';
import type { OutputDecoder, OutputTally } from './output-tally.ts';
import { readAll } from './read-body.ts';
import { endStreamWithError, type StreamErrorRenderer } from './stream-error.ts';

export interface StreamResult {
  usage: Usage | undefined;
  /** A failure after bytes reached the client (already reported to it as an error event). */
  error: GatewayError | undefined;
}

/** Non-streaming passthrough: the upstream bytes go to the client as the provider's hooks left them. */
export async function passthroughJson(
  upstream: UpstreamResponse,
  client: ClientResponse,
  headers: Record<string, string>,
  prepared: PreparedPassthrough,
  /** `keep`: the body is kept even with usage (a traced request's finish reasons and content). */
  output: { tally: OutputTally; decoder: OutputDecoder; keep?: boolean },
): Promise<Usage | undefined> {
  const { body, usage } = prepared.readBody(await readAll(upstream));
  if (usage === undefined || output.keep === true) output.tally.addBytes(body, output.decoder);
  client.send(200, { 'content-type': 'application/json', ...headers }, body);
  return usage;
}

/**
 * Streaming passthrough: whole SSE frames are piped byte for byte, through the provider's filter
 * (usage sniffing, chunks the client did not ask for). Headers are committed with the first
 * frame, so a failure before that can still be retried elsewhere.
 */
export async function passthroughStream(
  upstream: UpstreamResponse,
  client: ClientResponse,
  headers: Record<string, string>,
  filter: PassthroughStreamFilter,
  renderError: StreamErrorRenderer,
  output: { tally: OutputTally; decoder: OutputDecoder },
): Promise<StreamResult> {
  const framer = new SseFramer({ maxFrameBytes: upstream.limits.maxEventBytes });
  let sawEnd = false;
  try {
    for await (const chunk of upstream.body) {
      const frames = framer.push(chunk);
      if (frames.length === 0) continue;
      const out: Buffer[] = [];
      let malformed = false;
      for (const frame of frames) {
        if (!frameDataIsJson(frame)) {
          malformed = true;
          break;
        }
        if (!sawEnd && filter.isEndFrame(frame)) sawEnd = true;
        const forward = filter.filter(frame);
        if (forward) out.push(redactErrorFrame(forward));
      }
      // Before anything reached the client a malformed event fails the attempt (it may be retried);
      // after, the frames before it still go out and the stream ends with an error event.
      if (malformed && !client.started) throw malformedEventError();
      if (out.length > 0) {
        const bytes = out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
        output.tally.addBytes(bytes, output.decoder);
        client.startStream(headers);
        await client.write(bytes);
      }
      if (malformed) throw malformedEventError();
    }
    // A last frame without its blank line (or a bare JSON error body) is re-framed, not dropped.
    const tail = framer.end();
    const tailEvent = tail ? decodeSseFrame(tail) : null;
    if (tailEvent?.data) {
      const frame = Buffer.from(`data: ${tailEvent.data.replace(/\r?\n/g, '\ndata: ')}\n\n`);
      if (!frameDataIsJson(frame)) throw malformedEventError();
      if (filter.isEndFrame(frame)) sawEnd = true;
      const forward = filter.filter(frame);
      if (forward) {
        client.startStream(headers);
        await client.write(redactErrorFrame(forward));
      }
    }
  } catch (thrown) {
    const failure = asGatewayError(thrown, 'upstream_bad_response');
    if (!client.started) throw failure;
    return { usage: filter.usage, error: endStreamWithError(client, failure, renderError) };
  }
  if (filter.requiresEndFrame && !sawEnd) {
    const error = new GatewayError('upstream_bad_response', 'upstream stream ended before [DONE]');
    if (!client.started) throw error;
    return { usage: filter.usage, error: endStreamWithError(client, error, renderError) };
  }
  // A stream with a closing (a JSON array's `]`) is closed only once something opened it.
  const closing = client.started ? filter.closing?.() : undefined;
  client.end(closing?.toString('utf8'));
  return { usage: filter.usage, error: filter.failure };
}

function malformedEventError(): GatewayError {
  return new GatewayError('upstream_bad_response', 'upstream sent a stream event whose data is not JSON');
}
