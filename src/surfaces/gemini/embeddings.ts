/**
 * Gemini embeddings (`POST /v1beta/models/{model}:embedContent` and `:batchEmbedContents`): the
 * Gemini surface's keys and error envelope, a JSON answer. Gemini deployments take the body as it
 * is (only the model changed); others get the canonical request (the texts of each content,
 * `outputDimensionality` → dimensions; `taskType` and `title` have no equivalent and are listed in
 * `x-llmux-warnings`), answered in Gemini's shape.
 */
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, EmbeddingRequest, EmbeddingResult } from '../../core/types.ts';
import { isRecord } from '../../lib/json.ts';
import type { EmbeddingOperation, ParseContext, StreamRenderer, Surface, SurfaceRequest } from '../types.ts';
import { geminiPresentedKey } from './index.ts';
import { renderGeminiError, toGeminiErrorBody } from './render-error.ts';
import { geminiRouteTarget } from './route-target.ts';
import { invalidField } from './validate.ts';

/** Requests in one `batchEmbedContents` call, as on `/v1/embeddings`. */
export const MAX_GEMINI_EMBED_REQUESTS = 2048;

/** One `EmbedContentRequest`: its texts (one per text part) and the fields a translation cannot carry. */
interface EmbedItem {
  texts: string[];
  /** Where the first part that is not text is, when there is one (only passthrough can carry it). */
  nonTextPart: string | undefined;
  dimensions: number | undefined;
  dropped: string[];
}

export const geminiEmbeddingsSurface: Surface = {
  wireFormat: 'gemini-embeddings',
  presentedKey: geminiPresentedKey,
  parse: (body, ctx) => {
    const target = geminiRouteTarget(ctx.params?.modelAction);
    const batch = target.method === 'batchEmbedContents';
    return new GeminiEmbeddingRequestView(body, target.model, batch, ctx);
  },
  renderError: renderGeminiError,
};

class GeminiEmbeddingRequestView implements SurfaceRequest {
  readonly stream = false;
  readonly wireBody: Record<string, unknown>;
  /** Embeddings produce no output tokens. */
  readonly maxOutputTokens = 0;
  readonly choices = 1;
  readonly embedding: EmbeddingOperation;
  private readonly items: EmbedItem[];
  private built: EmbeddingRequest | undefined;

  constructor(
    body: unknown,
    readonly model: string,
    private readonly batch: boolean,
    private readonly ctx: ParseContext,
  ) {
    if (!isRecord(body)) throw new GatewayError('invalid_request', 'Invalid JSON payload: the body must be an object.');
    this.wireBody = body;
    this.items = batch ? readBatch(body) : [readItem(body, '')];
    this.embedding = {
      canonical: () => {
        this.built ??= this.toCanonical();
        return this.built;
      },
      renderResult: (result: EmbeddingResult) => JSON.stringify(this.toGeminiAnswer(result)),
    };
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    return count(this.items.flatMap((item) => item.texts));
  }

  /** `taskType` / `title` left out by a translation; read after `embedding.canonical()`. */
  translationWarnings(): readonly string[] {
    const fields = new Set(this.items.flatMap((item) => item.dropped));
    return [...fields].map((field) => `${field} dropped: the deployment's embeddings API has no equivalent`);
  }

  /** The chat members: the gateway never calls them for a request that carries `embedding`. */
  canonical(): ChatRequest {
    throw notChat();
  }
  renderResult(): string {
    throw notChat();
  }
  createStreamRenderer(): StreamRenderer {
    throw notChat();
  }
  renderStreamError(error: GatewayError): string {
    return JSON.stringify(toGeminiErrorBody(error, this.ctx.requestId));
  }

  private toCanonical(): EmbeddingRequest {
    const prefix = this.batch ? 'requests' : '';
    const dimensions = this.items[0]?.dimensions;
    for (const [i, item] of this.items.entries()) {
      const at = this.batch ? `${prefix}[${i}].` : '';
      if (item.nonTextPart !== undefined) {
        throw invalidField(
          `${at}${item.nonTextPart}`,
          `can be embedded only by a Gemini deployment; model ${this.model} embeds text`,
        );
      }
      if (item.texts.length === 0) throw invalidField(`${at}content.parts`, 'must hold text to embed');
      if (item.dimensions !== dimensions) {
        throw invalidField(`${at}outputDimensionality`, 'must be the same for every request of the batch');
      }
    }
    const request: EmbeddingRequest = { model: this.model, inputs: this.items.map((item) => item.texts.join('\n')) };
    if (dimensions !== undefined) request.dimensions = dimensions;
    return request;
  }

  private toGeminiAnswer(result: EmbeddingResult): object {
    const embeddings = result.embeddings.map((values) => ({ values }));
    return this.batch ? { embeddings } : { embedding: embeddings[0] ?? { values: [] } };
  }
}

function readBatch(body: Record<string, unknown>): EmbedItem[] {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw invalidField('requests', 'is required and must be a non-empty list');
  }
  if (requests.length > MAX_GEMINI_EMBED_REQUESTS) {
    throw invalidField('requests', `has ${requests.length} entries; at most ${MAX_GEMINI_EMBED_REQUESTS} are accepted`);
  }
  return requests.map((request, i) => {
    if (!isRecord(request)) throw invalidField(`requests[${i}]`, 'must be an object');
    return readItem(request, `requests[${i}].`);
  });
}

function readItem(request: Record<string, unknown>, at: string): EmbedItem {
  if (request.model !== undefined && typeof request.model !== 'string')
    throw invalidField(`${at}model`, 'must be a string');
  const content = request.content;
  if (!isRecord(content)) throw invalidField(`${at}content`, 'is required and must be a Content object');
  if (!Array.isArray(content.parts) || content.parts.length === 0) {
    throw invalidField(`${at}content.parts`, 'is required and must be a non-empty list');
  }
  const texts: string[] = [];
  let nonTextPart: string | undefined;
  for (const [j, part] of content.parts.entries()) {
    if (!isRecord(part)) throw invalidField(`${at}content.parts[${j}]`, 'must be an object');
    if (typeof part.text === 'string') texts.push(part.text);
    else if (part.text !== undefined) throw invalidField(`${at}content.parts[${j}].text`, 'must be a string');
    else nonTextPart ??= `content.parts[${j}]`;
  }
  const dimensions = request.outputDimensionality;
  if (
    dimensions !== undefined &&
    (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 65_536)
  ) {
    throw invalidField(`${at}outputDimensionality`, 'must be a positive integer');
  }
  const dropped: string[] = [];
  for (const field of ['taskType', 'title'] as const) {
    if (request[field] === undefined) continue;
    if (typeof request[field] !== 'string') throw invalidField(`${at}${field}`, 'must be a string');
    dropped.push(field);
  }
  return { texts, nonTextPart, dimensions: dimensions as number | undefined, dropped };
}

function notChat(): GatewayError {
  return new GatewayError('internal_error', 'an embeddings request has no chat completion');
}
