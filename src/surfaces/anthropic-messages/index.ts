import type { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { presentedKey } from '../../lib/credentials.ts';
import type { AnthropicRequestBody } from '../../protocols/anthropic-messages.ts';
import type { ParseContext, RequestHeaders, Surface, SurfaceRequest } from '../types.ts';
import { estimateMessagesInput } from './input-estimate.ts';
import { renderAnthropicError, renderAnthropicStreamError } from './render-error.ts';
import { toAnthropicMessage } from './render-response.ts';
import { AnthropicEventRenderer } from './render-stream.ts';
import { fromAnthropicMessagesRequest } from './to-canonical.ts';
import { validateMessagesRequest } from './validate-request.ts';

/** Client headers an Anthropic deployment gets on passthrough. */
const FORWARDED_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/**
 * Anthropic Messages (`POST /v1/messages`, also `?beta=true` as Claude Code sends it): keys in
 * `x-api-key` or `Authorization: Bearer`, the `{"type":"error","error":{…}}` envelope, and the
 * `message_start` … `message_stop` event stream. An Anthropic deployment gets the body as sent.
 */
export const anthropicMessagesSurface: Surface = {
  wireFormat: 'anthropic-messages',
  presentedKey,
  parse: (body, ctx) => new AnthropicMessagesRequestView(validateMessagesRequest(body), ctx),
  renderError: renderAnthropicError,
};

/** `anthropic-version` / `anthropic-beta` as the client sent them (lists joined with commas). */
export function forwardedAnthropicHeaders(headers: RequestHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers?.[name];
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (joined !== undefined && joined !== '') out[name] = joined;
  }
  return out;
}

class AnthropicMessagesRequestView implements SurfaceRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly maxOutputTokens: number | undefined;
  readonly choices = 1;
  readonly passthroughHeaders: Readonly<Record<string, string>>;
  private built: ChatRequest | undefined;

  constructor(
    readonly wireBody: AnthropicRequestBody,
    private readonly ctx: ParseContext,
  ) {
    this.model = wireBody.model;
    this.stream = wireBody.stream === true;
    this.maxOutputTokens = wireBody.max_tokens;
    this.passthroughHeaders = forwardedAnthropicHeaders(ctx.headers);
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    return estimateMessagesInput(this.wireBody, count);
  }

  canonical(): ChatRequest {
    this.built ??= fromAnthropicMessagesRequest(this.wireBody);
    return this.built;
  }

  renderResult(result: ChatResult): string {
    return JSON.stringify(toAnthropicMessage(result, this.identity()));
  }

  createStreamRenderer(): AnthropicEventRenderer {
    return new AnthropicEventRenderer(this.identity());
  }

  renderStreamError(error: GatewayError): string {
    return renderAnthropicStreamError(error, this.ctx.requestId);
  }

  private identity(): { id: string; model: string } {
    return { id: `msg_${this.ctx.requestId}`, model: this.model };
  }
}

/** A validated `count_tokens` body (a Messages request without `max_tokens`): its model and its prompt. */
export interface CountTokensRequest {
  model: string;
  /** The client's body, for an upstream that counts itself (only `model` is rewritten). */
  wireBody: object;
  /** The prompt's tokens, counted with `countTexts` (the gateway's tokenizer) for its texts. */
  inputTokens(countTexts: (texts: readonly string[]) => number): number;
}

export function parseCountTokensRequest(body: unknown): CountTokensRequest {
  const wireBody = validateMessagesRequest(body, { maxTokensRequired: false });
  return { model: wireBody.model, wireBody, inputTokens: (count) => estimateMessagesInput(wireBody, count) };
}
