import type { GatewayError } from '../core/errors.ts';
import type {
  ChatRequest,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResult,
  JsonObject,
  StreamEvent,
  Usage,
} from '../core/types.ts';
import type { Transport, UpstreamRequest } from '../upstream/types.ts';

/** Per-deployment capabilities; defaults come from the adapter, config may override. */
export interface DeploymentCapabilities {
  /** Upstream rejects `max_tokens` and wants `max_completion_tokens` (o-series, GPT-5). */
  maxCompletionTokensOnly?: boolean;
  /** Upstream rejects the `developer` role; send it as `system`. */
  developerRoleUnsupported?: boolean;
  /** Drop request fields the upstream cannot take instead of answering 400. */
  dropUnsupported?: boolean;
  /** Default max output tokens when the client gives none and the upstream needs one. */
  maxOutputTokens?: number;
  /** Ask for usage on streams (`stream_options.include_usage`); false for servers that reject `stream_options`. */
  streamUsage?: boolean;
}

/** Everything an adapter needs to know about where a request goes. */
export interface DeploymentTarget {
  /** Provider name from the config (e.g. "openai", "local"). */
  providerName: string;
  providerType: string;
  /** Base URL without trailing slash, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey?: string;
  /** Upstream model name. */
  model: string;
  capabilities: DeploymentCapabilities;
  /** Extra headers sent on every request to this provider. */
  headers?: Record<string, string>;
  /** Provider-specific fields merged into the upstream body (deployment-level overrides). */
  bodyOverrides?: JsonObject;
}

export interface BuiltRequest {
  request: UpstreamRequest;
  /** Adjustments made (clamped values, dropped fields): returned in `x-llmux-warnings`. */
  warnings: string[];
}

/**
 * Turns the body bytes of one upstream stream into canonical events: the provider owns the framing
 * (SSE for most, see sse-parser.ts; a binary event stream for others). Stateful, one per stream.
 */
export interface StreamParser {
  /** Events completed by this chunk. Throws a FrameTooLargeError past `maxEventBytes`. */
  push(chunk: Buffer): StreamEvent[];
  /** Called when the upstream body ends; throws a GatewayError when the stream was cut short. */
  end(): StreamEvent[];
}

export interface StreamParserOptions {
  /** Most bytes one upstream event (frame) may have; the framer's default when absent. */
  maxEventBytes?: number;
  /** The request this stream answers, for what the upstream cannot enforce itself (e.g. parallelToolCalls). */
  request?: ChatRequest;
}

/** The settings of one configured provider, as a provider module may read them for its transport. */
export interface ProviderSettings {
  readonly name: string;
  readonly type: string;
  readonly [setting: string]: unknown;
}

/** One upstream wire format. Pure: builds requests and parses responses; `upstream/` does HTTP. */
export interface ProviderAdapter {
  readonly type: string;
  /** Base URL used when the provider config gives none. */
  readonly defaultBaseUrl: string;
  /** The base URL from the provider's own settings, when it has no plain `baseUrl` (Azure: endpoint, api-version). */
  baseUrlFor?(settings: ProviderSettings): string;
  /** The wire format the upstream speaks (e.g. 'openai-chat'): a surface of the same format may pass through. */
  readonly wireFormat: string;
  /** How to forward a client body of `wireFormat` unchanged (DESIGN §1); absent = always translate. */
  readonly passthrough?: PassthroughHooks;
  /**
   * Passthrough for the other wire formats the upstream also speaks, by format (OpenAI's Responses
   * API beside Chat Completions): a surface of one of them passes through as well.
   */
  readonly otherPassthroughs?: Readonly<Record<string, PassthroughHooks>>;
  /** The adapter for one configured provider, when its settings change what it speaks (`responsesApi`). */
  forProvider?(settings: ProviderSettings): ProviderAdapter;
  /** Most choices one upstream request can return; llmux fans out when a client asks for more. */
  readonly maxChoicesPerRequest?: number;
  /** The upstream model id goes into the URL path (Gemini): a wildcard may match one plain segment only. */
  readonly modelInUrlPath?: boolean;
  /** The provider's embeddings API; absent = it has none (such a model is refused before any call). */
  readonly embeddings?: EmbeddingHooks;
  /** Capability defaults for an upstream model name. */
  capabilitiesFor(model: string): DeploymentCapabilities;
  buildRequest(request: ChatRequest, target: DeploymentTarget): BuiltRequest;
  /** `request` is the one answered, for what the upstream cannot enforce itself (e.g. parallelToolCalls). */
  parseResponse(body: unknown, target: DeploymentTarget, request?: ChatRequest): ChatResult;
  createStreamParser(target: DeploymentTarget, options?: StreamParserOptions): StreamParser;
  /**
   * The transport for this provider's requests, when it is not plain HTTP with the target's
   * headers (an in-process simulator, request signing, refreshed credentials). Default: `http`.
   */
  createTransport?(settings: ProviderSettings, http: Transport): Transport;
  /**
   * Maps an upstream error (status, raw body, headers) to a GatewayError with a canonical code,
   * keeping status, message and the upstream's own type/code; `retryable` and `retryAfterMs` come
   * from the headers through `upstreamRetryFacts` (upstream/retry-after.ts).
   */
  parseError(
    status: number,
    body: string,
    headers: Record<string, string | string[] | undefined>,
    target: DeploymentTarget,
  ): GatewayError;
}

/**
 * Passthrough for an adapter: the client's body, already in the adapter's wire format, goes
 * upstream with only what the deployment needs changed, and the answer's bytes go back as they
 * are. The gateway does the SSE framing and piping; these hooks know the format's usage and frames.
 */
export interface PassthroughHooks {
  /** The upstream request for a client body of the adapter's wire format (validated by that surface). */
  prepare(wireBody: object, target: DeploymentTarget, client?: PassthroughClientFacts): PreparedPassthrough;
  /**
   * The upstream request that counts a client body's input tokens with the provider's own counter
   * (Anthropic's `/v1/messages/count_tokens`); absent when the provider has none.
   */
  prepareTokenCount?(wireBody: object, target: DeploymentTarget, client?: PassthroughClientFacts): BuiltRequest;
}

/** What the client asked for outside its body (Gemini: streaming and its framing are in the URL). */
export interface PassthroughClientFacts {
  stream: boolean;
  /** How the client wants the stream framed (`json-array`: Gemini without `alt=sse`). */
  streamFraming: 'sse' | 'json-array';
  /** Client headers the upstream should get as sent (Anthropic's `anthropic-version`, `anthropic-beta`). */
  headers?: Readonly<Record<string, string>> | undefined;
}

export interface PreparedPassthrough extends BuiltRequest {
  /**
   * Checks a whole non-streaming answer and reads its usage. `body` is what the client gets: the
   * same buffer unless something had to change. Throws a GatewayError when it is not an answer.
   */
  readBody(body: Buffer): { body: Buffer; usage: Usage | undefined };
  /** One per streamed answer. */
  createStreamFilter(): PassthroughStreamFilter;
  /**
   * The output texts in answer bytes (a body, or stream frames), for the estimate when the upstream
   * sent no usage; absent = read back with the adapter's own parsers (its main wire format).
   */
  outputTexts?(bytes: Buffer): string[];
}

/** Looks at each frame of a passthrough stream (one whole SSE frame, its data a JSON object or the end sentinel). */
export interface PassthroughStreamFilter {
  /** The frame to forward (the same buffer when unchanged), or undefined to drop it. */
  filter(frame: Buffer): Buffer | undefined;
  /** True for the frame that marks a complete stream (OpenAI's `data: [DONE]`). */
  isEndFrame(frame: Buffer): boolean;
  /** Whether a stream without an end frame was cut short; false when the format ends with the body. */
  readonly requiresEndFrame: boolean;
  /** The usage read from the frames so far. */
  readonly usage: Usage | undefined;
  /** Bytes that close a complete stream after the last frame (a JSON array's `]`); absent = none. */
  closing?(): Buffer | undefined;
  /**
   * A failure the upstream reported inside a stream that still ended properly (a Responses
   * `response.failed`): the frames went to the client as sent, this goes into the request's record.
   */
  readonly failure?: GatewayError | undefined;
}

/**
 * Embeddings for an adapter: canonical ⇄ its embeddings API, and the passthrough of a client body
 * already in that API's format (OpenAI's `/embeddings`: only `model` rewritten, usage read).
 */
export interface EmbeddingHooks {
  /** The wire format of the provider's embeddings API: a surface of the same one passes through. */
  readonly wireFormat: string;
  /** The client's body sent as it is but for `model` (embeddings never stream). */
  readonly passthrough?: {
    prepare(wireBody: object, target: DeploymentTarget): Omit<PreparedPassthrough, 'createStreamFilter'>;
  };
  buildEmbeddingRequest(request: EmbeddingRequest, target: DeploymentTarget): BuiltRequest;
  /** Throws a GatewayError when the body is not an answer to `request` (e.g. a vector missing). */
  parseEmbeddingResponse(body: unknown, target: DeploymentTarget, request: EmbeddingRequest): EmbeddingResult;
}
