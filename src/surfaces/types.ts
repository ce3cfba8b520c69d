import type { GatewayError } from '../core/errors.ts';
import type { ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, StreamEvent } from '../core/types.ts';

/** Request headers as Node gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The query string as Fastify parses it. */
export type RequestQuery = Readonly<Record<string, string | string[] | undefined>>;

/** An error answer before any byte of the response went out, in the surface's envelope. */
export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Renders canonical stream events as the surface's frames; one per response. */
export interface StreamRenderer {
  /** The bytes for one event (empty when it renders nothing). */
  render(event: StreamEvent): string;
  /** The closing frames of a complete stream. */
  end(): string;
}

export interface ParseContext {
  requestId: string;
  /** Largest `n` accepted (`server.maxChoices`). */
  maxChoices?: number | undefined;
  /** The route's path parameters (e.g. Gemini's `models/{model}:generateContent`). */
  params?: Readonly<Record<string, string>> | undefined;
  /** The query string, parsed (e.g. `alt=sse`, `beta=true`). */
  query?: Readonly<Record<string, string | string[] | undefined>> | undefined;
  /** The request headers (e.g. `anthropic-version`, `anthropic-beta`). */
  headers?: RequestHeaders | undefined;
}

/**
 * One inbound API (OpenAI chat, Anthropic Messages, …): how its clients present their key, how
 * its bodies are read, and how answers and errors look on its wire. Adding one is a folder under
 * `surfaces/` plus one `registerSurfaceRoute` call.
 */
export interface Surface {
  /** Its wire format id: a deployment whose adapter speaks the same one gets the body passed through. */
  readonly wireFormat: string;
  /** The key its clients send (e.g. `Authorization: Bearer`; Gemini's may be the `key` query parameter). */
  presentedKey(headers: RequestHeaders, query?: RequestQuery): string | undefined;
  /** Validates a client body (parsed JSON; undefined when none was sent). Throws a 4xx GatewayError. */
  parse(body: unknown, ctx: ParseContext): SurfaceRequest;
  /** Its error envelope, for an error before the response started. */
  renderError(error: GatewayError, requestId: string): RenderedError;
}

/** One parsed client request, with the renderers bound to it (ids, model, what the client asked to see). */
export interface SurfaceRequest {
  /** The public model name asked for. */
  readonly model: string;
  readonly stream: boolean;
  /** The client's body in the surface's wire format, forwarded by passthrough. */
  readonly wireBody: object;
  /** Output tokens asked for at most, per choice; undefined when the request sets no limit. */
  readonly maxOutputTokens: number | undefined;
  /** Completions asked for (`n`); each is charged. */
  readonly choices: number;
  /** The prompt's tokens, estimated with `countTexts` for its texts (limits, and usage a provider never sent). */
  estimateInputTokens(countTexts: (texts: readonly string[]) => number): number;
  /**
   * The canonical request, built on the first call (passthrough never needs it). Throws a 4xx
   * GatewayError for input only the conversion can reject (the gateway calls it before any attempt).
   */
  canonical(): ChatRequest;
  renderResult(result: ChatResult): string;
  createStreamRenderer(): StreamRenderer;
  /** The error event that ends a stream already started. */
  renderStreamError(error: GatewayError): string;
  /**
   * What the canonical request left out of the client's body (e.g. OpenAI built-in tools a
   * translated deployment cannot run), listed in `x-llmux-warnings` of a translated attempt.
   * Read after `canonical()`.
   */
  translationWarnings?(): readonly string[];
  /**
   * Set when the stream is not SSE: Gemini's `streamGenerateContent` without `alt=sse` is one JSON
   * array written as it grows (content type application/json; passthrough hooks are told).
   */
  readonly streamFraming?: 'json-array' | undefined;
  /** Client headers a passthrough forwards upstream as sent (Anthropic's `anthropic-version`, `anthropic-beta`). */
  readonly passthroughHeaders?: Readonly<Record<string, string>> | undefined;
  /**
   * Set when the request asks for embeddings, not a chat answer: the gateway runs embedding
   * attempts with it, and the chat members above (canonical, renderers) are never called.
   */
  readonly embedding?: EmbeddingOperation;
}

/** What an embeddings request adds: its canonical form and the rendering of a translated result. */
export interface EmbeddingOperation {
  /**
   * The canonical request, built on the first call (passthrough never needs it). Throws a 4xx
   * GatewayError for input only passthrough can carry (the gateway calls it before any attempt).
   */
  canonical(): EmbeddingRequest;
  /** The client's answer for a translated result. */
  renderResult(result: EmbeddingResult): string;
}
