import type { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { presentedKey } from '../../lib/credentials.ts';
import type { ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import type { ParseContext, Surface, SurfaceRequest } from '../types.ts';
import { estimateResponsesInput } from './input-estimate.ts';
import { renderResponsesError } from './render-error.ts';
import { type ResponseIdentity, toResponse } from './render-response.ts';
import { ResponsesEventRenderer } from './render-stream.ts';
import { fromResponsesRequest } from './to-canonical.ts';
import { validateResponsesRequest } from './validate-request.ts';

/**
 * OpenAI Responses (`POST /v1/responses`): `Authorization: Bearer` keys, OpenAI's error envelope,
 * the `response` object and its semantic event stream. No provider speaks this API yet, so every
 * deployment gets the request translated; responses are not kept (`previous_response_id` is a 400).
 */
export const openAIResponsesSurface: Surface = {
  wireFormat: 'openai-responses',
  presentedKey,
  parse: (body, ctx) => new ResponsesRequestView(validateResponsesRequest(body), ctx),
  renderError: renderResponsesError,
};

class ResponsesRequestView implements SurfaceRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly maxOutputTokens: number | undefined;
  readonly choices = 1;
  private readonly identity: ResponseIdentity;
  private built: { request: ChatRequest; warnings: string[] } | undefined;
  private renderer: ResponsesEventRenderer | undefined;

  constructor(
    readonly wireBody: ResponsesRequestBody,
    ctx: ParseContext,
  ) {
    this.model = wireBody.model;
    this.stream = wireBody.stream === true;
    this.maxOutputTokens = wireBody.max_output_tokens ?? undefined;
    this.identity = {
      id: `resp_${ctx.requestId}`,
      model: wireBody.model,
      createdAt: Math.floor(Date.now() / 1000),
      body: wireBody,
    };
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    return estimateResponsesInput(this.wireBody, count);
  }

  canonical(): ChatRequest {
    this.built ??= fromResponsesRequest(this.wireBody);
    return this.built.request;
  }

  translationWarnings(): readonly string[] {
    return this.built?.warnings ?? [];
  }

  renderResult(result: ChatResult): string {
    return JSON.stringify(toResponse(result, this.identity));
  }

  createStreamRenderer(): ResponsesEventRenderer {
    this.renderer = new ResponsesEventRenderer(this.identity);
    return this.renderer;
  }

  renderStreamError(error: GatewayError): string {
    this.renderer ??= new ResponsesEventRenderer(this.identity);
    return this.renderer.fail(error);
  }
}
