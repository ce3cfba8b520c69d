import type { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { presentedKey } from '../../lib/credentials.ts';
import type { GeminiRequest } from '../../protocols/gemini.ts';
import type { ParseContext, RequestHeaders, RequestQuery, Surface, SurfaceRequest } from '../types.ts';
import { estimateGeminiInput } from './input-estimate.ts';
import { renderGeminiError, toGeminiErrorBody } from './render-error.ts';
import { toGeminiResponse } from './render-response.ts';
import { ChunkFramer, GeminiChunkRenderer, type GeminiStreamFraming } from './render-stream.ts';
import { geminiRouteTarget, wantsSse } from './route-target.ts';
import { fromGeminiRequest } from './to-canonical.ts';
import { validateGeminiRequest } from './validate.ts';

/**
 * Gemini native (`POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent`): keys
 * in `x-goog-api-key` (or `?key=`, or Bearer), Google's `{error: {code, message, status}}` envelope,
 * `GenerateContentResponse` chunks as SSE (`alt=sse`) or as one JSON array.
 */
export const geminiSurface: Surface = {
  wireFormat: 'gemini',
  presentedKey: geminiPresentedKey,
  parse: (body, ctx) => {
    const target = geminiRouteTarget(ctx.params?.modelAction);
    const stream = target.method === 'streamGenerateContent';
    const framing: GeminiStreamFraming = wantsSse(ctx.query) ? 'sse' : 'json-array';
    return new GeminiRequestView(validateGeminiRequest(body), target.model, stream, framing, ctx);
  },
  renderError: renderGeminiError,
};

/** `x-goog-api-key` (or another header llmux takes), else the `key` query parameter. */
export function geminiPresentedKey(headers: RequestHeaders, query?: RequestQuery): string | undefined {
  const fromHeaders = presentedKey(headers);
  if (fromHeaders !== undefined) return fromHeaders;
  const key = query?.key;
  const value = Array.isArray(key) ? key[0] : key;
  return value?.trim() || undefined;
}

class GeminiRequestView implements SurfaceRequest {
  readonly maxOutputTokens: number | undefined;
  readonly choices: number;
  readonly streamFraming: 'json-array' | undefined;
  private built: ChatRequest | undefined;

  constructor(
    readonly wireBody: GeminiRequest,
    readonly model: string,
    readonly stream: boolean,
    private readonly framing: GeminiStreamFraming,
    private readonly ctx: ParseContext,
  ) {
    const config = wireBody.generationConfig;
    this.maxOutputTokens = config?.maxOutputTokens;
    this.choices = Math.max(1, config?.candidateCount ?? 1);
    this.streamFraming = stream && framing === 'json-array' ? 'json-array' : undefined;
  }

  /** Gemini sends thought summaries only with `thinkingConfig.includeThoughts: true`. */
  private get includeThoughts(): boolean {
    return this.wireBody.generationConfig?.thinkingConfig?.includeThoughts === true;
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    return estimateGeminiInput(this.wireBody, count);
  }

  canonical(): ChatRequest {
    this.built ??= fromGeminiRequest(this.wireBody, this.model, this.stream);
    return this.built;
  }

  renderResult(result: ChatResult): string {
    return JSON.stringify(toGeminiResponse(result, this.includeThoughts));
  }

  createStreamRenderer(): GeminiChunkRenderer {
    return new GeminiChunkRenderer(new ChunkFramer(this.framing), this.model, this.includeThoughts);
  }

  /** Called only once the stream started: in a JSON array, the opening bracket is already out. */
  renderStreamError(error: GatewayError): string {
    const body = JSON.stringify(toGeminiErrorBody(error, this.ctx.requestId));
    return this.framing === 'sse' ? `data: ${body}\r\n\r\n` : `,\r\n${body}]`;
  }
}
