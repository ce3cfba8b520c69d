import { GatewayError } from '../../../core/errors.ts';
import type { ChatRequest, EmbeddingRequest, EmbeddingResult } from '../../../core/types.ts';
import { presentedKey } from '../../../lib/credentials.ts';
import type { EmbeddingOperation, ParseContext, StreamRenderer, Surface, SurfaceRequest } from '../../types.ts';
import { renderOpenAIError } from '../render-error.ts';
import { renderStreamError } from '../render-stream.ts';
import { toOpenAIEmbeddingList } from './render.ts';
import { type OpenAIEmbeddingRequest, type ValidatedEmbeddingRequest, validateEmbeddingRequest } from './validate.ts';

/**
 * OpenAI Embeddings (`POST /v1/embeddings`): the chat surface's keys and error envelope, a JSON
 * answer (never a stream). OpenAI-format deployments take the body as it is (token ids included);
 * others get the canonical request, and llmux encodes `base64` itself.
 */
export const openAIEmbeddingsSurface: Surface = {
  wireFormat: 'openai-embeddings',
  presentedKey,
  parse: (body, ctx) => new OpenAIEmbeddingRequestView(validateEmbeddingRequest(body), ctx),
  renderError: renderOpenAIError,
};

class OpenAIEmbeddingRequestView implements SurfaceRequest {
  readonly model: string;
  readonly stream = false;
  readonly wireBody: OpenAIEmbeddingRequest;
  /** Embeddings produce no output tokens. */
  readonly maxOutputTokens = 0;
  readonly choices = 1;
  readonly embedding: EmbeddingOperation;
  private built: EmbeddingRequest | undefined;

  constructor(
    private readonly validated: ValidatedEmbeddingRequest,
    private readonly ctx: ParseContext,
  ) {
    this.wireBody = validated.body;
    this.model = validated.body.model;
    this.embedding = {
      canonical: () => {
        this.built ??= this.toCanonical();
        return this.built;
      },
      renderResult: (result: EmbeddingResult) =>
        JSON.stringify(toOpenAIEmbeddingList(result, this.model, this.wireBody.encoding_format ?? 'float')),
    };
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    const { texts, tokenIds } = this.validated;
    return texts === undefined ? tokenIds : count(texts);
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
    return renderStreamError(error, this.ctx.requestId);
  }

  private toCanonical(): EmbeddingRequest {
    const { body, texts, extraFields } = this.validated;
    if (texts === undefined) {
      throw new GatewayError(
        'invalid_request',
        `Invalid 'input': token ids can be sent only to OpenAI-format deployments; model \`${this.model}\` is served by one that embeds text. Send the input as strings.`,
        { param: 'input', reason: 'invalid_value' },
      );
    }
    const request: EmbeddingRequest = { model: this.model, inputs: texts };
    if (body.dimensions != null) request.dimensions = body.dimensions;
    if (body.user != null) request.user = body.user;
    if (Object.keys(extraFields).length > 0) request.extraFields = extraFields;
    return request;
  }
}

function notChat(): GatewayError {
  return new GatewayError('internal_error', 'an embeddings request has no chat completion');
}
