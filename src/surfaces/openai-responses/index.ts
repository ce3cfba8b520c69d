import type { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { presentedKey } from '../../lib/credentials.ts';
import type { ResponsesInputItem, ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import type { ParseContext, Surface, SurfaceRequest } from '../types.ts';
import { estimateResponsesInput } from './input-estimate.ts';
import { renderResponsesError } from './render-error.ts';
import { type ResponseIdentity, toResponse } from './render-response.ts';
import { ResponsesEventRenderer } from './render-stream.ts';
import { forPassthrough, type StoredTurn, turnInputItems } from './response-store.ts';
import { fromResponsesRequest } from './to-canonical.ts';
import { validateResponsesRequest } from './validate-request.ts';

/**
 * OpenAI Responses (`POST /v1/responses`): `Authorization: Bearer` keys, OpenAI's error envelope,
 * the `response` object and its semantic event stream. No provider speaks this API yet, so every
 * deployment gets the request translated. Stored responses (`previous_response_id`, what a
 * translated turn leaves) are the route's (server/routes/responses-routes.ts): it continues a
 * request from its stored conversation before serving it, and stores the turn after.
 */
export const openAIResponsesSurface: Surface = {
  wireFormat: 'openai-responses',
  presentedKey,
  parse: (body, ctx) => new ResponsesRequestView(validateResponsesRequest(body), ctx),
  renderError: renderResponsesError,
};

export class ResponsesRequestView implements SurfaceRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly maxOutputTokens: number | undefined;
  readonly choices = 1;
  private readonly identity: ResponseIdentity;
  private built: { request: ChatRequest; warnings: string[] } | undefined;
  private renderer: ResponsesEventRenderer | undefined;
  /** What translation reads: the client's body, or with the stored conversation before its input. */
  private conversation: ResponsesRequestBody;
  /** Set when only a passthrough upstream can use `previous_response_id` (llmux has no conversation for it). */
  private untranslatable: GatewayError | undefined;
  /** The Response object of a translated answer, once rendered (what `store` keeps). */
  private rendered: Record<string, unknown> | undefined;

  constructor(
    /** What passthrough forwards: the client's body, or continued like `conversation` (in OpenAI's terms). */
    public wireBody: ResponsesRequestBody,
    ctx: ParseContext,
  ) {
    this.conversation = wireBody;
    this.model = wireBody.model;
    this.stream = wireBody.stream === true;
    this.maxOutputTokens = wireBody.max_output_tokens ?? undefined;
    this.identity = {
      id: `resp_${ctx.requestId}`,
      model: wireBody.model,
      createdAt: Math.floor(Date.now() / 1000),
      body: wireBody,
      previousResponseId: wireBody.previous_response_id ?? null,
    };
  }

  get responseId(): string {
    return this.identity.id;
  }

  /** Continues the client's turn from a stored conversation (oldest item first); `previous_response_id` is then spent. */
  continueFrom(history: readonly ResponsesInputItem[]): void {
    const { previous_response_id: _spent, ...body } = this.identity.body;
    const input =
      typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : body.input;
    this.conversation = { ...body, input: [...history, ...(input ?? [])] };
    this.wireBody = { ...body, input: [...forPassthrough(history), ...(input ?? [])] };
    this.built = undefined;
  }

  /** `previous_response_id` stays for a passthrough upstream to resolve; a translated attempt is refused with `error`. */
  translationRefused(error: GatewayError): void {
    this.untranslatable = error;
  }

  /** What `store` keeps of a translated answer: undefined unless one was rendered (not for passthrough). */
  storedTurn(): StoredTurn | undefined {
    const response = this.rendered ?? this.renderer?.final;
    if (response === undefined) return undefined;
    return { response, inputItems: turnInputItems(this.identity.body, this.identity.id) };
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    return estimateResponsesInput(this.conversation, count);
  }

  canonical(): ChatRequest {
    if (this.untranslatable) throw this.untranslatable;
    this.built ??= fromResponsesRequest(this.conversation);
    return this.built.request;
  }

  translationWarnings(): readonly string[] {
    return this.built?.warnings ?? [];
  }

  renderResult(result: ChatResult): string {
    this.rendered = toResponse(result, this.identity);
    return JSON.stringify(this.rendered);
  }

  createStreamRenderer(): ResponsesEventRenderer {
    this.renderer = new ResponsesEventRenderer(this.identity);
    return this.renderer;
  }

  renderStreamError(error: GatewayError): string {
    // Without a renderer of its own the stream was passed through: the upstream already opened it.
    if (this.renderer === undefined) return new ResponsesEventRenderer(this.identity).failPassedThrough(error);
    return this.renderer.fail(error);
  }
}
