import { collect } from '../../core/collect.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { isRecord } from '../../lib/json.ts';
import type { DeploymentTarget } from '../types.ts';
import { errorObject, fromGeminiErrorPayload } from './errors.ts';
import { GeminiStreamParser } from './stream.ts';

/**
 * `generateContent` body → canonical result. It is folded through the same code as a stream (one
 * event holding everything), so streaming and non-streaming answers cannot drift apart. A JSON
 * array (the stream endpoint without alt=sse) is folded element by element. An error body that
 * arrived with HTTP 200 is thrown as the GatewayError it describes.
 */
export function fromGeminiResponse(body: unknown, target: DeploymentTarget, request?: ChatRequest): ChatResult {
  const failed = Array.isArray(body) ? body.find((item) => errorObject(item) !== undefined) : errorObject(body) && body;
  if (failed) throw fromGeminiErrorPayload(failed, 200, target);
  if (!isRecord(body) && !Array.isArray(body)) {
    throw new GatewayError('upstream_bad_response', 'Gemini returned a body that is not a GenerateContentResponse');
  }
  const parser = new GeminiStreamParser(target, request?.parallelToolCalls === false);
  const events = parser.pushJson(body);
  events.push(...parser.finishUnreported());
  const result = collect(events);
  if (result.choices.length === 0) {
    throw new GatewayError('upstream_bad_response', 'Gemini returned no candidates and no prompt feedback');
  }
  return result;
}
