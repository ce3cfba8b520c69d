/**
 * OpenAI's `/embeddings` for every OpenAI-format upstream. An OpenAI client's body passes through
 * with only `model` rewritten (`encoding_format`, `dimensions`, `user` and unknown fields as sent)
 * and its usage read; a canonical request (another surface's) is built as a float request.
 */
import { GatewayError } from '../../core/errors.ts';
import type { EmbeddingRequest, EmbeddingResult, JsonObject, Usage } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import { embeddingFieldWarnings } from '../embedding-fields.ts';
import type { BuiltRequest, DeploymentTarget, EmbeddingHooks } from '../types.ts';
import type { ConvertUsage, OpenAIEndpointHooks } from './hooks.ts';
import { buildOpenAIHttpRequest, joinUrlPath } from './request.ts';
import { fromOpenAIUsage } from './usage.ts';
import { looksLikeJsonObject, sliceUsageObject } from './usage-sniffer.ts';
import type { UpstreamUsage } from './wire-types.ts';

export const OPENAI_EMBEDDINGS_WIRE_FORMAT = 'openai-embeddings';

const DATA_KEY = Buffer.from('"data"');

export function createOpenAIEmbeddings(
  options: OpenAIEndpointHooks & { convertUsage?: ConvertUsage } = {},
): EmbeddingHooks {
  const convertUsage = options.convertUsage ?? fromOpenAIUsage;
  // The embeddings endpoint is the chat completions endpoint's sibling (Azure's deployment URLs too).
  const endpoint: OpenAIEndpointHooks = { ...options, chatCompletionsUrl: (target) => embeddingsUrl(target, options) };
  return {
    wireFormat: OPENAI_EMBEDDINGS_WIRE_FORMAT,
    passthrough: {
      prepare(wireBody, target) {
        const body = { ...(wireBody as JsonObject), model: target.model };
        return {
          request: buildOpenAIHttpRequest(body, target, endpoint),
          warnings: [],
          readBody: (bytes) => ({ body: bytes, usage: readEmbeddingUsage(bytes, convertUsage) }),
        };
      },
    },
    buildEmbeddingRequest(request, target): BuiltRequest {
      const body: JsonObject = { model: target.model, input: request.inputs, encoding_format: 'float' };
      if (request.dimensions !== undefined) body.dimensions = request.dimensions;
      if (request.user !== undefined) body.user = request.user;
      const warnings = embeddingFieldWarnings(request, target, 'OpenAI embeddings API');
      return { request: buildOpenAIHttpRequest(body, target, endpoint), warnings };
    },
    parseEmbeddingResponse: (body, _target, request) => fromOpenAIEmbeddings(body, request, convertUsage),
  };
}

export function embeddingsUrl(target: DeploymentTarget, endpoint: OpenAIEndpointHooks): string {
  const chat = endpoint.chatCompletionsUrl?.(target);
  if (chat === undefined) return joinUrlPath(target.baseUrl, '/embeddings');
  return chat.replace(/\/chat\/completions(?=\?|$)/, '/embeddings');
}

/** The usage of a passthrough answer, read from its `usage` object alone (the vectors are never parsed). */
function readEmbeddingUsage(bytes: Buffer, convertUsage: ConvertUsage): Usage | undefined {
  const usageBytes = sliceUsageObject(bytes);
  const usage = usageBytes ? tryParseJson(usageBytes.toString('utf8')) : undefined;
  if (!looksLikeJsonObject(bytes) || bytes.indexOf(DATA_KEY) < 0 || (usageBytes && !isRecord(usage))) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a malformed embeddings body');
  }
  return isRecord(usage) ? convertUsage(usage as UpstreamUsage) : undefined;
}

/** An OpenAI embeddings list → canonical vectors in input order (base64 answers decoded). */
export function fromOpenAIEmbeddings(
  body: unknown,
  request: EmbeddingRequest,
  convertUsage: ConvertUsage = fromOpenAIUsage,
): EmbeddingResult {
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : undefined;
  if (data === undefined || data.length !== request.inputs.length) throw malformed('one vector per input');
  const embeddings: Array<number[] | undefined> = data.map(() => undefined);
  for (const [position, item] of data.entries()) {
    if (!isRecord(item)) throw malformed('an embedding object');
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || embeddings[index] !== undefined || index < 0 || index >= data.length) {
      throw malformed('one valid index per vector');
    }
    embeddings[index] = vectorOf(item.embedding);
  }
  const result: EmbeddingResult = { embeddings: embeddings as number[][] };
  if (isRecord(body) && isRecord(body.usage)) result.usage = convertUsage(body.usage as UpstreamUsage);
  return result;
}

function vectorOf(value: unknown): number[] {
  if (Array.isArray(value) && value.every((x) => typeof x === 'number')) return value as number[];
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    const out: number[] = [];
    for (let at = 0; at + 4 <= bytes.length; at += 4) out.push(bytes.readFloatLE(at));
    return out;
  }
  throw malformed('a vector of numbers');
}

function malformed(expected: string): GatewayError {
  return new GatewayError('upstream_bad_response', `upstream returned an embeddings body without ${expected}`);
}
