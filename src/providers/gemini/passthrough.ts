import { GatewayError } from '../../core/errors.ts';
import type { JsonObject, Usage } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { redactErrorFrame } from '../../lib/redact-error-frame.ts';
import { decodeSseFrame } from '../../lib/sse.ts';
import type { GeminiUsageMetadata } from '../../protocols/gemini.ts';
import type {
  DeploymentTarget,
  PassthroughClientFacts,
  PassthroughHooks,
  PassthroughStreamFilter,
  PreparedPassthrough,
} from '../types.ts';
import { mergeGeminiBody } from './merge.ts';
import { geminiUrl } from './request.ts';
import { fromGeminiUsage } from './usage.ts';

const USAGE_KEY = Buffer.from('"usageMetadata"');

/**
 * Gemini passthrough: the client's `generateContent` body goes to the deployment's model (the model
 * is in the URL, not the body), with the deployment's `bodyOverrides` merged over it. Streams are
 * always asked for as SSE; a client that wanted the JSON array gets the same chunks as one.
 * Usage is read from `usageMetadata` (cumulative on every chunk: the last one counts).
 */
export const geminiPassthrough: PassthroughHooks = {
  prepare(wireBody: object, target: DeploymentTarget, client?: PassthroughClientFacts): PreparedPassthrough {
    const warnings: string[] = [];
    let body = wireBody as JsonObject;
    if (target.bodyOverrides) {
      body = mergeGeminiBody(body, target.bodyOverrides, (path) =>
        warnings.push(`${path} set by the deployment's bodyOverrides`),
      );
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
    if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
    const stream = client?.stream === true;
    const asArray = client?.streamFraming === 'json-array';
    return {
      request: {
        method: 'POST',
        url: geminiUrl(target.baseUrl, target.model, stream),
        headers,
        body: JSON.stringify(body),
      },
      warnings,
      readBody: readResponseBody,
      createStreamFilter: () => new GeminiChunkFilter(asArray),
    };
  },
};

function readResponseBody(body: Buffer): { body: Buffer; usage: Usage | undefined } {
  const parsed = tryParseJson(body.toString('utf8'));
  if (
    !isRecord(parsed) ||
    (!('candidates' in parsed) && !('promptFeedback' in parsed) && !('usageMetadata' in parsed))
  ) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a malformed generateContent body');
  }
  const usage = isRecord(parsed.usageMetadata)
    ? fromGeminiUsage(parsed.usageMetadata as GeminiUsageMetadata)
    : undefined;
  return { body, usage };
}

/** Reads usage from the chunks that carry it; re-frames SSE frames as JSON array elements when asked. */
class GeminiChunkFilter implements PassthroughStreamFilter {
  readonly requiresEndFrame = false;
  usage: Usage | undefined;
  private opened = false;

  constructor(private readonly asArray: boolean) {}

  isEndFrame(): boolean {
    return false;
  }

  filter(frame: Buffer): Buffer | undefined {
    const hasUsage = frame.indexOf(USAGE_KEY) >= 0;
    if (!hasUsage && !this.asArray) return frame;
    const data = decodeSseFrame(this.asArray ? redactErrorFrame(frame) : frame)?.data;
    if (data === undefined) return this.asArray ? undefined : frame;
    if (hasUsage) {
      const chunk = tryParseJson(data);
      if (isRecord(chunk) && isRecord(chunk.usageMetadata)) {
        this.usage = fromGeminiUsage(chunk.usageMetadata as GeminiUsageMetadata);
      }
    }
    if (!this.asArray) return frame;
    const lead = this.opened ? ',\r\n' : '[';
    this.opened = true;
    return Buffer.from(lead + data);
  }

  closing(): Buffer | undefined {
    return this.opened ? Buffer.from(']') : undefined;
  }
}
