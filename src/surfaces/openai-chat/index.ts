import type { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { presentedKey } from '../../lib/credentials.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import type { ParseContext, Surface, SurfaceRequest } from '../types.ts';
import { estimateOpenAIChatInput } from './input-estimate/openai-chat.ts';
import { usesLegacyFunctions } from './legacy-functions.ts';
import { renderOpenAIError } from './render-error.ts';
import { toOpenAIChatCompletion } from './render-response.ts';
import { OpenAIChunkRenderer, renderStreamError } from './render-stream.ts';
import { fromOpenAIChatRequest } from './to-canonical.ts';
import { validateChatRequest } from './validate-request.ts';

/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`): `Authorization: Bearer` keys, the
 * `{error: {message, type, param, code}}` envelope, `chat.completion.chunk` frames ending with `[DONE]`.
 */
export const openAIChatSurface: Surface = {
  wireFormat: 'openai-chat',
  presentedKey,
  parse: (body, ctx) => new OpenAIChatRequestView(validateChatRequest(body, { maxChoices: ctx.maxChoices }), ctx),
  renderError: renderOpenAIError,
};

class OpenAIChatRequestView implements SurfaceRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly maxOutputTokens: number | undefined;
  readonly choices: number;
  private built: ChatRequest | undefined;

  constructor(
    readonly wireBody: OpenAIChatRequest,
    private readonly ctx: ParseContext,
  ) {
    this.model = wireBody.model;
    this.stream = wireBody.stream === true;
    this.maxOutputTokens = wireBody.max_completion_tokens ?? wireBody.max_tokens ?? undefined;
    this.choices = wireBody.n ?? 1;
  }

  estimateInputTokens(count: (texts: readonly string[]) => number): number {
    return estimateOpenAIChatInput(this.wireBody, count);
  }

  canonical(): ChatRequest {
    this.built ??= fromOpenAIChatRequest(this.wireBody);
    return this.built;
  }

  renderResult(result: ChatResult): string {
    return JSON.stringify(toOpenAIChatCompletion(result, { legacyFunctions: usesLegacyFunctions(this.wireBody) }));
  }

  createStreamRenderer(): OpenAIChunkRenderer {
    return new OpenAIChunkRenderer(
      this.wireBody.stream_options?.include_usage === true,
      { id: `chatcmpl-${this.ctx.requestId}`, model: this.model, created: Math.floor(Date.now() / 1000) },
      usesLegacyFunctions(this.wireBody),
    );
  }

  renderStreamError(error: GatewayError): string {
    return renderStreamError(error, this.ctx.requestId);
  }
}
