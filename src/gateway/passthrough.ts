import { GatewayError } from '../core/errors.ts';
import type { Usage } from '../core/types.ts';
import { isRecord, tryParseJson } from '../lib/json.ts';
import { redactErrorFrame } from '../lib/redact-error-frame.ts';
import { decodeSseFrame, SseFramer } from '../lib/sse.ts';
import type { OpenAIUsage } from '../protocols/openai-chat.ts';
import { fromOpenAIUsage } from '../providers/openai-compatible/usage.ts';
import type { UpstreamResponse } from '../upstream/types.ts';
import type { ClientResponse } from './client-response.ts';
import { frameDataIsJson } from './frame-shape.ts';
import { asTooLargeError, readAll } from './read-body.ts';
import { clampedUsage } from './usage-clamp.ts';
import { frameHasUsage, looksLikeJsonObject, sliceUsageObject } from './usage-sniffer.ts';

const CHOICES_KEY = Buffer.from('"choices"');
const DONE_FRAME_MAX_BYTES = 32;

export interface StreamResult {
  usage: Usage | undefined;
  /** A failure after bytes reached the client (already reported to it as an error event). */
  error: GatewayError | undefined;
}

/**
 * Non-streaming passthrough: the upstream bytes go to the client unchanged. Usage is read from the
 * `usage` object alone (found by a byte search from the end), not by parsing the whole body.
 */
export async function passthroughJson(
  upstream: UpstreamResponse,
  client: ClientResponse,
  headers: Record<string, string>,
): Promise<Usage | undefined> {
  const bytes = await readAll(upstream);
  const usageBytes = sliceUsageObject(bytes);
  const usage = usageBytes ? tryParseJson(usageBytes.toString('utf8')) : undefined;
  if (!looksLikeJsonObject(bytes) || bytes.indexOf(CHOICES_KEY) < 0 || (usageBytes && !isRecord(usage))) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a malformed chat completion body');
  }
  const clamped = isRecord(usage) ? clampedUsage(usage) : undefined;
  const body = clamped && usageBytes ? replaceSlice(bytes, usageBytes, JSON.stringify(clamped)) : bytes;
  client.send(200, { 'content-type': 'application/json', ...headers }, body);
  return isRecord(usage) ? fromOpenAIUsage(usage as unknown as OpenAIUsage) : undefined;
}

/**
 * Streaming passthrough: frames are piped byte for byte. The usage chunk that llmux always asks
 * for is read and, when the client did not ask for it, removed. Headers are committed with the
 * first frame, so a failure before that can still be retried elsewhere.
 */
export async function passthroughStream(
  upstream: UpstreamResponse,
  client: ClientResponse,
  headers: Record<string, string>,
  clientWantsUsage: boolean,
  renderError: (error: GatewayError) => string,
): Promise<StreamResult> {
  const framer = new SseFramer({ maxFrameBytes: upstream.limits.maxEventBytes });
  let usage: Usage | undefined;
  let sawDone = false;
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
        if (!sawDone && isDoneFrame(frame)) sawDone = true;
        if (!frameHasUsage(frame)) {
          out.push(redactErrorFrame(frame));
          continue;
        }
        const sniffed = sniffUsageFrame(frame, clientWantsUsage);
        usage = sniffed.usage ?? usage;
        if (sniffed.forward) out.push(sniffed.forward);
      }
      // Before anything reached the client a malformed event fails the attempt (it may be retried);
      // after, the frames before it still go out and the stream ends with an error event.
      if (malformed && !client.started) throw malformedEventError();
      if (out.length > 0) {
        client.startStream(headers);
        await client.write(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out));
      }
      if (malformed) throw malformedEventError();
    }
    // A last frame without its blank line (or a bare JSON error body) is re-framed, not dropped.
    const tail = framer.end();
    const tailEvent = tail ? decodeSseFrame(tail) : null;
    if (tailEvent?.data) {
      if (tailEvent.data === '[DONE]') sawDone = true;
      else if (!tailEvent.data.startsWith('{')) throw malformedEventError();
      client.startStream(headers);
      await client.write(redactErrorFrame(Buffer.from(`data: ${tailEvent.data.replace(/\r?\n/g, '\ndata: ')}\n\n`)));
    }
  } catch (error) {
    const failure = asGatewayError(error);
    if (!client.started) throw failure;
    return { usage, error: endWithError(client, failure, renderError) };
  }
  if (!sawDone) {
    const error = new GatewayError('upstream_bad_response', 'upstream stream ended before [DONE]');
    if (!client.started) throw error;
    return { usage, error: endWithError(client, error, renderError) };
  }
  client.end();
  return { usage, error: undefined };
}

/** `data: [DONE]` plus its line endings: only short frames are decoded to check. */
function isDoneFrame(frame: Buffer): boolean {
  return frame.length <= DONE_FRAME_MAX_BYTES && decodeSseFrame(frame)?.data === '[DONE]';
}

function sniffUsageFrame(frame: Buffer, clientWantsUsage: boolean): { usage?: Usage; forward?: Buffer } {
  const event = decodeSseFrame(frame);
  const chunk = event ? tryParseJson(event.data) : undefined;
  if (!isRecord(chunk) || !isRecord(chunk.usage)) return { forward: frame };
  const usage = fromOpenAIUsage(chunk.usage as unknown as OpenAIUsage);
  if (clientWantsUsage) {
    const clamped = clampedUsage(chunk.usage);
    return {
      usage,
      forward: clamped ? Buffer.from(`data: ${JSON.stringify({ ...chunk, usage: clamped })}\n\n`) : frame,
    };
  }
  if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return { usage };
  const { usage: _dropped, ...rest } = chunk;
  return { usage, forward: Buffer.from(`data: ${JSON.stringify(rest)}\n\n`) };
}

/** `whole` with the bytes of `part` (a subarray of it) replaced by `text`. */
function replaceSlice(whole: Buffer, part: Buffer, text: string): Buffer {
  const start = part.byteOffset - whole.byteOffset;
  return Buffer.concat([whole.subarray(0, start), Buffer.from(text), whole.subarray(start + part.length)]);
}

function malformedEventError(): GatewayError {
  return new GatewayError('upstream_bad_response', 'upstream sent a stream event whose data is not JSON');
}

function asGatewayError(thrown: unknown): GatewayError {
  const error = asTooLargeError(thrown);
  return error instanceof GatewayError
    ? error
    : new GatewayError('upstream_bad_response', 'upstream stream failed', { cause: error });
}

function endWithError(
  client: ClientResponse,
  error: GatewayError,
  renderError: (error: GatewayError) => string,
): GatewayError {
  if (error.code !== 'client_closed') client.end(renderError(error));
  return error;
}
