import { GatewayError } from '../../core/errors.ts';
import type { Usage } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { decodeSseFrame } from '../../lib/sse.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import type { DeploymentTarget, PassthroughHooks, PassthroughStreamFilter, PreparedPassthrough } from '../types.ts';
import type { ConvertUsage, OpenAIBodyHooks, OpenAIEndpointHooks } from './hooks.ts';
import { preparePassthroughBody } from './passthrough.ts';
import { buildOpenAIHttpRequest } from './request.ts';
import { fromOpenAIUsage } from './usage.ts';
import { clampedUsage } from './usage-clamp.ts';
import { frameHasUsage, looksLikeJsonObject, sliceUsageObject } from './usage-sniffer.ts';
import type { UpstreamUsage } from './wire-types.ts';

const CHOICES_KEY = Buffer.from('"choices"');
const DONE_FRAME_MAX_BYTES = 32;

/** OpenAI Chat Completions passthrough: usage read from the bytes, the usage chunk the client did not ask for stripped. */
export function createOpenAIChatPassthrough(hooks: OpenAIBodyHooks & OpenAIEndpointHooks = {}): PassthroughHooks {
  const convertUsage = hooks.convertUsage ?? fromOpenAIUsage;
  const readBody = (body: Buffer) => readCompletionBody(body, convertUsage);
  return {
    prepare(wireBody: object, target: DeploymentTarget): PreparedPassthrough {
      // The gateway hands over a body only when the client's surface speaks this adapter's format.
      const clientBody = wireBody as OpenAIChatRequest;
      const prepared = preparePassthroughBody(clientBody, target, hooks.transformRequestBody);
      const clientWantsUsage = clientBody.stream_options?.include_usage === true;
      return {
        request: buildOpenAIHttpRequest(prepared.body, target, hooks),
        warnings: prepared.warnings,
        readBody,
        createStreamFilter: () => new OpenAIChunkFilter(clientWantsUsage, convertUsage),
      };
    },
  };
}

export const openAIChatPassthrough: PassthroughHooks = createOpenAIChatPassthrough();

/**
 * Non-streaming: usage is read from the `usage` object alone (found by a byte search from the
 * end), not by parsing the whole body; the body goes on unchanged unless a count had to be clamped.
 */
function readCompletionBody(bytes: Buffer, convertUsage: ConvertUsage): { body: Buffer; usage: Usage | undefined } {
  const usageBytes = sliceUsageObject(bytes);
  const usage = usageBytes ? tryParseJson(usageBytes.toString('utf8')) : undefined;
  if (!looksLikeJsonObject(bytes) || bytes.indexOf(CHOICES_KEY) < 0 || (usageBytes && !isRecord(usage))) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a malformed chat completion body');
  }
  if (!isRecord(usage)) return { body: bytes, usage: undefined };
  const clamped = clampedUsage(usage);
  const body = clamped && usageBytes ? replaceSlice(bytes, usageBytes, JSON.stringify(clamped)) : bytes;
  return { body, usage: convertUsage(usage as UpstreamUsage) };
}

/**
 * Streaming: llmux always asks for the usage chunk; it is read and, when the client did not ask
 * for it, removed. Ordinary chunks are never parsed (one byte search each).
 */
class OpenAIChunkFilter implements PassthroughStreamFilter {
  readonly requiresEndFrame = true;
  usage: Usage | undefined;

  constructor(
    private readonly clientWantsUsage: boolean,
    private readonly convertUsage: ConvertUsage,
  ) {}

  isEndFrame(frame: Buffer): boolean {
    return frame.length <= DONE_FRAME_MAX_BYTES && decodeSseFrame(frame)?.data === '[DONE]';
  }

  filter(frame: Buffer): Buffer | undefined {
    if (!frameHasUsage(frame)) return frame;
    const event = decodeSseFrame(frame);
    const chunk = event ? tryParseJson(event.data) : undefined;
    if (!isRecord(chunk) || !isRecord(chunk.usage)) return frame;
    this.usage = this.convertUsage(chunk.usage as UpstreamUsage);
    if (this.clientWantsUsage) {
      const clamped = clampedUsage(chunk.usage);
      return clamped ? Buffer.from(`data: ${JSON.stringify({ ...chunk, usage: clamped })}\n\n`) : frame;
    }
    if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return undefined;
    const { usage: _dropped, ...rest } = chunk;
    return Buffer.from(`data: ${JSON.stringify(rest)}\n\n`);
  }
}

/** `whole` with the bytes of `part` (a subarray of it) replaced by `text`. */
function replaceSlice(whole: Buffer, part: Buffer, text: string): Buffer {
  const start = part.byteOffset - whole.byteOffset;
  return Buffer.concat([whole.subarray(0, start), Buffer.from(text), whole.subarray(start + part.length)]);
}
