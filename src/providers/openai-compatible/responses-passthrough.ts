/**
 * OpenAI Responses passthrough: a client body of the Responses API goes to the deployment's
 * `POST {baseUrl}/responses` with `model` rewritten (and the deployment's `bodyOverrides` merged,
 * `stream` excepted); the answer's bytes go back as they came. Usage is read from the body's
 * `usage`, or from the terminal event of a stream (`response.completed`, `.incomplete`, `.failed`).
 * A stream is complete at one of those (or at an `error` event); an `error` or `response.failed`
 * is forwarded (its strings redacted) and kept as the request's failure.
 */
import { type ErrorCode, GatewayError } from '../../core/errors.ts';
import type { Usage } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { redactJsonStrings, redactSecrets } from '../../lib/redact.ts';
import { decodeSseFrame } from '../../lib/sse.ts';
import type { DeploymentTarget, PassthroughHooks, PassthroughStreamFilter, PreparedPassthrough } from '../types.ts';
import type { OpenAIEndpointHooks } from './hooks.ts';
import { buildOpenAIHttpRequest, joinUrlPath } from './request.ts';
import { fromResponsesUsage } from './responses-usage.ts';
import { looksLikeJsonObject, sliceUsageObject } from './usage-sniffer.ts';

export const RESPONSES_WIRE_FORMAT = 'openai-responses';

const OUTPUT_KEY = Buffer.from('"output"');
const EVENT_FIELD = Buffer.from('event:');
/** Bytes found in the frames that end a stream (with or without an `event:` line); others are never parsed. */
const END_MARKERS = ['response.completed', 'response.failed', 'response.incomplete', '"error"'].map((marker) =>
  Buffer.from(marker),
);
const END_TYPES = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

export function createOpenAIResponsesPassthrough(
  endpoint: Pick<OpenAIEndpointHooks, 'authHeaders'> = {},
): PassthroughHooks {
  const hooks: OpenAIEndpointHooks = {
    ...endpoint,
    chatCompletionsUrl: (target) => joinUrlPath(target.baseUrl, '/responses'),
  };
  return {
    prepare(wireBody: object, target: DeploymentTarget): PreparedPassthrough {
      const body: Record<string, unknown> = { ...wireBody, model: target.model };
      const warnings: string[] = [];
      for (const [key, value] of Object.entries(target.bodyOverrides ?? {})) {
        if (key === 'stream') continue;
        body[key] = value;
        warnings.push(`${key} set by the deployment's bodyOverrides`);
      }
      return {
        request: buildOpenAIHttpRequest(body, target, hooks),
        warnings,
        readBody: readResponseBody,
        createStreamFilter: () => new ResponsesEventFilter(target),
        outputTexts: responsesOutputTexts,
      };
    },
  };
}

/** A whole `response` object: checked by its shape, usage read from its `usage` object alone (found from the end). */
function readResponseBody(bytes: Buffer): { body: Buffer; usage: Usage | undefined } {
  const usageBytes = sliceUsageObject(bytes);
  const usage = usageBytes ? tryParseJson(usageBytes.toString('utf8')) : undefined;
  if (!looksLikeJsonObject(bytes) || bytes.indexOf(OUTPUT_KEY) < 0 || (usageBytes && !isRecord(usage))) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a malformed Responses API body');
  }
  return { body: bytes, usage: fromResponsesUsage(usage) };
}

/**
 * The texts of a Responses answer: of a body, its output items' text, refusals, call arguments and
 * custom tool inputs; of stream frames, the deltas of the same (`*.delta` events).
 */
export function responsesOutputTexts(bytes: Buffer): string[] {
  const texts: string[] = [];
  const whole = tryParseJson(bytes.toString('utf8'));
  if (isRecord(whole)) {
    for (const item of Array.isArray(whole.output) ? whole.output : []) {
      if (!isRecord(item)) continue;
      for (const key of ['arguments', 'input'] as const) if (typeof item[key] === 'string') texts.push(item[key]);
      for (const part of Array.isArray(item.content) ? item.content : []) {
        if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
        else if (isRecord(part) && typeof part.refusal === 'string') texts.push(part.refusal);
      }
    }
    return texts;
  }
  for (const frame of bytes.toString('utf8').split(/\r?\n\r?\n/)) {
    const payload = tryParseJson(decodeSseFrame(frame)?.data ?? '');
    if (isRecord(payload) && typeof payload.delta === 'string' && String(payload.type).endsWith('.delta')) {
      texts.push(payload.delta);
    }
  }
  return texts;
}

/**
 * Parses only the frames that may end the stream (a byte search each): their usage is the
 * response's, their failure the request's.
 */
class ResponsesEventFilter implements PassthroughStreamFilter {
  readonly requiresEndFrame = true;
  usage: Usage | undefined;
  failure: GatewayError | undefined;

  constructor(private readonly target: DeploymentTarget) {}

  isEndFrame(frame: Buffer): boolean {
    const type = endFrameType(frame);
    return type !== undefined && END_TYPES.has(type);
  }

  filter(frame: Buffer): Buffer {
    const type = endFrameType(frame);
    if (type === undefined || !END_TYPES.has(type)) return frame;
    const event = decodeSseFrame(frame);
    const payload = event ? tryParseJson(event.data) : undefined;
    if (!event || !isRecord(payload)) return frame;
    if (type === 'error') {
      this.failure ??= this.streamFailure(isRecord(payload.error) ? payload.error : payload);
    } else if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      const response = isRecord(payload.response) ? payload.response : {};
      this.usage = fromResponsesUsage(response.usage) ?? this.usage;
      if (type !== 'response.failed') return frame;
      this.failure ??= this.streamFailure(isRecord(response.error) ? response.error : {});
    } else {
      return frame;
    }
    // An upstream may echo its key in any field of an error.
    const redacted = redactJsonStrings(payload, [this.target.apiKey]);
    if (redacted === payload) return frame;
    const eventLine = event.event === undefined ? '' : `event: ${event.event}\n`;
    return Buffer.from(`${eventLine}data: ${JSON.stringify(redacted)}\n\n`);
  }

  private streamFailure(error: Record<string, unknown>): GatewayError {
    const secrets = [this.target.apiKey];
    const text = (value: unknown) => (typeof value === 'string' ? redactSecrets(value, secrets) : undefined);
    const upstreamCode = text(error.code);
    const upstreamType = text(error.type);
    return new GatewayError(
      failureCode(upstreamCode ?? upstreamType),
      text(error.message) ?? 'the upstream reported a failure in the stream',
      {
        provider: this.target.providerName,
        upstreamFormat: RESPONSES_WIRE_FORMAT,
        upstreamCode,
        upstreamType,
        retryable: false,
      },
    );
  }
}

/** The type of a frame that may end the stream: its `event:` name, else its data's `type` (parsed only past a marker). */
function endFrameType(frame: Buffer): string | undefined {
  if (frame.subarray(0, EVENT_FIELD.length).equals(EVENT_FIELD)) {
    const end = frame.indexOf(0x0a);
    return frame
      .subarray(EVENT_FIELD.length, end < 0 ? frame.length : end)
      .toString('utf8')
      .trim();
  }
  if (!END_MARKERS.some((marker) => frame.indexOf(marker) >= 0)) return undefined;
  const payload = tryParseJson(decodeSseFrame(frame)?.data ?? '');
  return isRecord(payload) && typeof payload.type === 'string' ? payload.type : undefined;
}

function failureCode(code: string | undefined): ErrorCode {
  switch (code) {
    case 'rate_limit_exceeded':
    case 'insufficient_quota':
    case 'context_length_exceeded':
      return code;
    case 'content_filter':
    case 'content_policy_violation':
      return 'content_policy_violation';
    default:
      return 'upstream_error';
  }
}
