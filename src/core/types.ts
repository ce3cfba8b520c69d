/**
 * The canonical model: a superset of the wire formats, so that no surface/provider pair loses
 * information. Imports nothing but the error type it carries.
 */

import type { GatewayError } from './errors.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface CacheHint {
  type: 'ephemeral';
  ttl?: string;
}

export interface TextPart {
  type: 'text';
  text: string;
  cache?: CacheHint;
}

export interface ImagePart {
  type: 'image';
  /** http(s) URL, or undefined when `data` is set. */
  url?: string;
  /** base64 payload (no data: prefix). */
  data?: string;
  mediaType?: string;
  detail?: 'auto' | 'low' | 'high';
  cache?: CacheHint;
}

export interface AudioPart {
  type: 'audio';
  data: string;
  /** e.g. wav, mp3 */
  format: string;
}

export interface FilePart {
  type: 'file';
  /** base64 payload without the data: prefix */
  data?: string;
  url?: string;
  fileId?: string;
  filename?: string;
  mediaType?: string;
  cache?: CacheHint;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** Provider signature that must be returned verbatim on the next turn (Anthropic, Gemini 3). */
  signature?: string;
  /** Anthropic redacted_thinking payload. */
  redactedData?: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** JSON-encoded arguments, as OpenAI carries them. */
  arguments: string;
  /** Gemini 3 thoughtSignature attached to a functionCall part. */
  signature?: string;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  name?: string;
  content: string | Array<TextPart | ImagePart | FilePart>;
  isError?: boolean;
  cache?: CacheHint;
}

export type Part = TextPart | ImagePart | AudioPart | FilePart | ReasoningPart | ToolCallPart | ToolResultPart;

export interface Message {
  role: Role;
  parts: Part[];
  /** OpenAI `name` on a message (participant name). */
  name?: string;
  /** Assistant refusal text carried from a previous turn. */
  refusal?: string;
}

export interface ToolDefinition {
  type: 'function';
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: JsonObject;
  strict?: boolean;
  cache?: CacheHint;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'function'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; description?: string; schema?: JsonObject; strict?: boolean };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface ReasoningSettings {
  effort?: ReasoningEffort;
  budgetTokens?: number;
  includeThoughts?: boolean;
}

export interface ChatRequest {
  /** Public model name the client asked for. */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  n?: number;
  stop?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  logitBias?: Record<string, number>;
  logprobs?: boolean;
  topLogprobs?: number;
  reasoning?: ReasoningSettings;
  serviceTier?: string;
  user?: string;
  metadata?: Record<string, string>;
  stream: boolean;
  /** Client asked for the usage chunk at the end of the stream. */
  includeUsage: boolean;
  /** Raw per-provider fields that no canonical field covers, keyed by provider type. */
  providerOptions?: Record<string, JsonObject>;
  /**
   * Top-level fields of the client's body that no canonical field covers (`store`, `prediction`,
   * …), as sent. A translated provider maps them, or rejects / drops them with a warning.
   */
  extraFields?: JsonObject;
}

export type UnifiedFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

export interface FinishReason {
  unified: UnifiedFinishReason;
  raw: string | null;
}

export interface Usage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  reasoningTokens?: number;
  audioInputTokens?: number;
  audioOutputTokens?: number;
  acceptedPredictionTokens?: number;
  rejectedPredictionTokens?: number;
  estimated: boolean;
  raw?: JsonValue;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] | null }>;
}

export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal: TokenLogprob[] | null;
}

export interface Citation {
  url?: string;
  title?: string;
  startIndex?: number;
  endIndex?: number;
  text?: string;
}

/**
 * Stream events; each carries the choice index it belongs to (0 when there is one choice).
 *
 * Text and reasoning deltas come inside blocks: `*-start` before the first delta of a block and
 * `*-end` after its last (renderers with content blocks, e.g. Anthropic's, need the boundaries;
 * others ignore them). `block` pairs a start with its end and grows in stream order within a
 * choice; it is not an output position. A stream that fails may leave a block without its end.
 */
export type StreamEvent =
  | {
      type: 'response-start';
      id: string;
      model: string;
      created: number;
      serviceTier?: string;
      systemFingerprint?: string;
    }
  | { type: 'text-start'; choice: number; block: number }
  | { type: 'text-delta'; choice: number; text: string }
  | { type: 'text-end'; choice: number; block: number }
  | { type: 'reasoning-start'; choice: number; block: number }
  | { type: 'reasoning-end'; choice: number; block: number }
  | { type: 'refusal-delta'; choice: number; text: string }
  | { type: 'reasoning-delta'; choice: number; text?: string; signature?: string; redactedData?: string }
  | { type: 'tool-call-start'; choice: number; index: number; id: string; name: string; signature?: string }
  | { type: 'tool-call-delta'; choice: number; index: number; argumentsDelta: string }
  | { type: 'tool-call-end'; choice: number; index: number }
  | { type: 'citation'; choice: number; citation: Citation }
  | { type: 'logprobs'; choice: number; logprobs: ChoiceLogprobs }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; choice: number; reason: FinishReason }
  /** The upstream reported an error mid-stream; nothing follows it. */
  | { type: 'error'; error: GatewayError };

export interface ChoiceResult {
  index: number;
  text: string | null;
  refusal: string | null;
  reasoning: ReasoningPart[];
  toolCalls: ToolCallPart[];
  citations: Citation[];
  logprobs: ChoiceLogprobs | null;
  finishReason: FinishReason;
}

export interface ChatResult {
  id: string;
  model: string;
  created: number;
  choices: ChoiceResult[];
  usage?: Usage;
  serviceTier?: string;
  systemFingerprint?: string;
}

/** An embeddings request: texts in, one vector per text out (OpenAI `/v1/embeddings`, Gemini `batchEmbedContents`). */
export interface EmbeddingRequest {
  /** Public model name the client asked for. */
  model: string;
  /** The texts to embed, in order (token arrays only ever pass through, they are never canonical). */
  inputs: string[];
  /** Length of the vectors asked for (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  dimensions?: number;
  user?: string;
  /** Top-level fields of the client's body that no canonical field covers, as sent. */
  extraFields?: JsonObject;
}

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  embeddings: number[][];
  /** Undefined when the upstream reports none (the gateway estimates it). */
  usage?: Usage;
}
