/**
 * Anthropic Messages passthrough: a client body already in the Messages format goes to the
 * deployment with `model` rewritten (and the deployment's `bodyOverrides` merged over it, `stream`
 * excepted), the client's `anthropic-version` and `anthropic-beta` forwarded (the betas joined
 * with the deployment's configured ones). Usage is read from the message body, or from the
 * `message_start` and `message_delta` events of a stream; every frame goes on unchanged.
 */
import { GatewayError } from '../../core/errors.ts';
import type { Usage } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { decodeSseFrame } from '../../lib/sse.ts';
import type { AnthropicUsage } from '../../protocols/anthropic-messages.ts';
import { LLMUX_CARRIER_PREFIX } from '../../protocols/llmux-carrier.ts';
import type {
  DeploymentTarget,
  PassthroughClientFacts,
  PassthroughHooks,
  PassthroughStreamFilter,
  PreparedPassthrough,
} from '../types.ts';
import { ANTHROPIC_VERSION, anthropicMessagesUrl } from './request.ts';
import { fromAnthropicUsage, mergeAnthropicUsage } from './usage.ts';

const MESSAGE_START = Buffer.from('"message_start"');
const MESSAGE_DELTA = Buffer.from('"message_delta"');
const MESSAGE_STOP = Buffer.from('message_stop');
const ERROR_EVENT = Buffer.from('error');
/** `event: message_stop` frames are short; longer ones are not looked at for the end. */
const END_FRAME_MAX_BYTES = 256;

export const anthropicPassthrough: PassthroughHooks = {
  prepare(wireBody: object, target: DeploymentTarget, client?: PassthroughClientFacts): PreparedPassthrough {
    const body: Record<string, unknown> = { ...wireBody, model: target.model };
    const warnings: string[] = [];
    if (Array.isArray(body.messages) && body.messages.some(hasCarrierThinking)) {
      body.messages = withoutCarrierThinking(body.messages);
      warnings.push("thinking blocks llmux signed for another provider's turns left out (Claude cannot verify them)");
    }
    for (const [key, value] of Object.entries(target.bodyOverrides ?? {})) {
      if (key === 'stream') continue;
      body[key] = value;
      warnings.push(`${key} set by the deployment's bodyOverrides`);
    }
    return {
      request: {
        method: 'POST',
        url: anthropicMessagesUrl(target.baseUrl),
        headers: passthroughHeaders(target, body.stream === true, client?.headers),
        body: Buffer.from(JSON.stringify(body)),
      },
      warnings,
      readBody: readMessageBody,
      createStreamFilter: () => new AnthropicEventFilter(),
    };
  },
  prepareTokenCount(wireBody: object, target: DeploymentTarget, client?: PassthroughClientFacts) {
    const body = { ...wireBody, model: target.model };
    return {
      request: {
        method: 'POST',
        url: `${anthropicMessagesUrl(target.baseUrl)}/count_tokens`,
        headers: passthroughHeaders(target, false, client?.headers),
        body: Buffer.from(JSON.stringify(body)),
      },
      warnings: [],
    };
  },
};

/** An assistant turn with a thinking block whose signature llmux wrote (a translated turn's, e.g. Gemini's). */
function hasCarrierThinking(message: unknown): boolean {
  return isRecord(message) && Array.isArray(message.content) && message.content.some(isCarrierThinking);
}

function isCarrierThinking(block: unknown): boolean {
  return (
    isRecord(block) &&
    block.type === 'thinking' &&
    typeof block.signature === 'string' &&
    block.signature.startsWith(LLMUX_CARRIER_PREFIX)
  );
}

/** The messages without those blocks; a turn left empty goes (Anthropic joins consecutive turns of a role). */
function withoutCarrierThinking(messages: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const message of messages) {
    if (!hasCarrierThinking(message)) {
      out.push(message);
      continue;
    }
    const record = message as { content: unknown[] };
    const content = record.content.filter((block) => !isCarrierThinking(block));
    if (content.length > 0) out.push({ ...record, content });
  }
  return out;
}

function passthroughHeaders(
  target: DeploymentTarget,
  stream: boolean,
  client: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': client?.['anthropic-version'] ?? ANTHROPIC_VERSION,
  };
  const betas = new Set<string>();
  for (const [name, value] of Object.entries(target.headers ?? {})) {
    if (name.toLowerCase() === 'anthropic-beta') for (const beta of value.split(',')) betas.add(beta.trim());
    else headers[name] = value;
  }
  for (const beta of (client?.['anthropic-beta'] ?? '').split(',')) betas.add(beta.trim());
  betas.delete('');
  if (betas.size > 0) headers['anthropic-beta'] = [...betas].join(',');
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  return headers;
}

function readMessageBody(body: Buffer): { body: Buffer; usage: Usage | undefined } {
  const parsed = tryParseJson(body.toString('utf8'));
  if (!isRecord(parsed) || !Array.isArray(parsed.content)) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a malformed Anthropic message body');
  }
  return { body, usage: isRecord(parsed.usage) ? fromAnthropicUsage(parsed.usage as AnthropicUsage) : undefined };
}

/** Reads usage from `message_start` and `message_delta`; a stream is complete at `message_stop` (or an `error` event). */
class AnthropicEventFilter implements PassthroughStreamFilter {
  readonly requiresEndFrame = true;
  private startUsage: AnthropicUsage | undefined;
  private latest: AnthropicUsage | undefined;

  get usage(): Usage | undefined {
    return this.latest ? fromAnthropicUsage(this.latest) : undefined;
  }

  isEndFrame(frame: Buffer): boolean {
    if (frame.length > END_FRAME_MAX_BYTES && frame.indexOf(ERROR_EVENT) < 0) return false;
    if (frame.indexOf(MESSAGE_STOP) < 0 && frame.indexOf(ERROR_EVENT) < 0) return false;
    const type = eventType(frame);
    return type === 'message_stop' || type === 'error';
  }

  filter(frame: Buffer): Buffer {
    const isStart = frame.indexOf(MESSAGE_START) >= 0;
    if (!isStart && frame.indexOf(MESSAGE_DELTA) < 0) return frame;
    const event = decodeSseFrame(frame);
    const payload = event ? tryParseJson(event.data) : undefined;
    if (!isRecord(payload)) return frame;
    if (payload.type === 'message_start' && isRecord(payload.message) && isRecord(payload.message.usage)) {
      this.startUsage = payload.message.usage as AnthropicUsage;
      this.latest = this.startUsage;
    } else if (payload.type === 'message_delta' && isRecord(payload.usage)) {
      this.latest = mergeAnthropicUsage(this.latest ?? this.startUsage, payload.usage as AnthropicUsage);
    }
    return frame;
  }
}

/** The event's type: its `event:` name, or the `type` of its data. */
function eventType(frame: Buffer): string | undefined {
  const event = decodeSseFrame(frame);
  if (!event) return undefined;
  if (event.event) return event.event;
  const payload = tryParseJson(event.data);
  return isRecord(payload) && typeof payload.type === 'string' ? payload.type : undefined;
}
