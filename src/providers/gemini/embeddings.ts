/**
 * Embeddings on Gemini: canonical texts → `models/{model}:batchEmbedContents`, one
 * `EmbedContentRequest` per text (`dimensions` → `outputDimensionality`); the answer's
 * `embeddings[].values` come back in input order. The API reports no usage: the gateway estimates it.
 */
import { GatewayError } from '../../core/errors.ts';
import type { EmbeddingRequest, EmbeddingResult, JsonObject } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import type { GeminiUsageMetadata } from '../../protocols/gemini.ts';
import { embeddingFieldWarnings } from '../embedding-fields.ts';
import { tokenCount } from '../token-count.ts';
import type { BuiltRequest, DeploymentTarget, EmbeddingHooks, PreparedPassthrough } from '../types.ts';
import { geminiUrl } from './request.ts';
import { fromGeminiUsage } from './usage.ts';

const API = 'Gemini API';

export const geminiEmbeddings: EmbeddingHooks = {
  wireFormat: 'gemini-embeddings',
  passthrough: { prepare: prepareGeminiEmbeddingPassthrough },
  buildEmbeddingRequest: buildGeminiEmbeddingRequest,
  parseEmbeddingResponse: (body, _target, request) => fromGeminiEmbeddings(body, request),
};

export function buildGeminiEmbeddingRequest(request: EmbeddingRequest, target: DeploymentTarget): BuiltRequest {
  const warnings = embeddingFieldWarnings(request, target, API);
  if (request.user !== undefined) warnings.push(`user ignored (no ${API} equivalent)`);
  const url = geminiUrl(target.baseUrl, target.model, false).replace(/:generateContent$/, ':batchEmbedContents');
  const model = /^(?:models|tunedModels)\//.test(target.model) ? target.model : `models/${target.model}`;
  const requests = request.inputs.map((text) => {
    const one: JsonObject = { model, content: { parts: [{ text }] } };
    if (request.dimensions !== undefined) one.outputDimensionality = request.dimensions;
    return one;
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  return { request: { method: 'POST', url, headers, body: JSON.stringify({ requests }) }, warnings };
}

/**
 * A Gemini client's `embedContent` body (`content`) or `batchEmbedContents` body (`requests`) as
 * sent, to the deployment's model: in the URL, and in each request's `model` when it names one
 * (Gemini wants it to match the URL). The answer goes back as it came; its usage is read when it
 * has `usageMetadata` (else the gateway estimates it).
 */
function prepareGeminiEmbeddingPassthrough(
  wireBody: object,
  target: DeploymentTarget,
): Omit<PreparedPassthrough, 'createStreamFilter'> {
  const model = /^(?:models|tunedModels)\//.test(target.model) ? target.model : `models/${target.model}`;
  const body = wireBody as JsonObject;
  const batch = Array.isArray(body.requests);
  const sent: JsonObject = batch
    ? { ...body, requests: (body.requests as JsonObject[]).map((one) => ({ ...one, model })) }
    : { ...body, ...(body.model !== undefined ? { model } : {}) };
  const method = batch ? ':batchEmbedContents' : ':embedContent';
  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  return {
    request: {
      method: 'POST',
      url: geminiUrl(target.baseUrl, target.model, false).replace(/:generateContent$/, method),
      headers,
      body: JSON.stringify(sent),
    },
    warnings: [],
    readBody: (bytes) => ({ body: bytes, usage: readEmbedAnswerUsage(bytes, batch) }),
  };
}

function readEmbedAnswerUsage(bytes: Buffer, batch: boolean): EmbeddingResult['usage'] {
  const parsed = tryParseJson(bytes.toString('utf8'));
  const answered = isRecord(parsed) && (batch ? Array.isArray(parsed.embeddings) : isRecord(parsed.embedding));
  if (!answered) {
    throw new GatewayError(
      'upstream_bad_response',
      `upstream returned a malformed ${batch ? 'batchEmbedContents' : 'embedContent'} body`,
    );
  }
  const usage = isRecord(parsed.usageMetadata) ? (parsed.usageMetadata as GeminiUsageMetadata) : undefined;
  return tokenCount(usage?.promptTokenCount) !== undefined ? fromGeminiUsage(usage as GeminiUsageMetadata) : undefined;
}

/** `BatchEmbedContentsResponse` → canonical vectors; usage only when the answer counts its prompt (`usageMetadata`). */
export function fromGeminiEmbeddings(body: unknown, request: EmbeddingRequest): EmbeddingResult {
  const list = isRecord(body) && Array.isArray(body.embeddings) ? body.embeddings : undefined;
  if (list === undefined || list.length !== request.inputs.length) {
    throw new GatewayError(
      'upstream_bad_response',
      'upstream returned a batchEmbedContents body without one embedding per input',
    );
  }
  const embeddings = list.map((item) => {
    const values = isRecord(item) ? item.values : undefined;
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'number')) {
      throw new GatewayError('upstream_bad_response', 'upstream returned an embedding without its values');
    }
    return values as number[];
  });
  const result: EmbeddingResult = { embeddings };
  const usage =
    isRecord(body) && isRecord(body.usageMetadata) ? (body.usageMetadata as GeminiUsageMetadata) : undefined;
  if (tokenCount(usage?.promptTokenCount) !== undefined) result.usage = fromGeminiUsage(usage as GeminiUsageMetadata);
  return result;
}
