/**
 * What an OpenAI-compatible server sends back, as llmux reads it. Servers differ (OpenAI, Azure,
 * vLLM, Ollama, proxies) and some send null where OpenAI leaves a field out, so every field is
 * optional and nullable and the compiler makes each reader handle its absence. The shapes llmux
 * itself sends to clients, where fields are guaranteed, are in protocols/openai-chat.ts.
 *
 * Type aliases rather than interfaces: an alias of JSON-only fields is a JsonValue, so `usage.raw`
 * can keep the object as it came without a cast.
 */
import type { OpenAIReasoningDetail } from '../../protocols/openai-chat.ts';

export type UpstreamUsage = {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: {
    cached_tokens?: number | null;
    audio_tokens?: number | null;
    cache_write_tokens?: number | null;
  } | null;
  completion_tokens_details?: {
    reasoning_tokens?: number | null;
    audio_tokens?: number | null;
    accepted_prediction_tokens?: number | null;
    rejected_prediction_tokens?: number | null;
  } | null;
};

/** Read as they come and handed on to the surface (the canonical shape is OpenAI's). */
export type UpstreamLogprobs = { content?: unknown[] | null; refusal?: unknown[] | null };

export type UpstreamToolCall = {
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
  /** Thought signature some gateways attach (Gemini through an OpenAI-compatible endpoint). */
  signature?: string | null;
};

export type UpstreamMessage = {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: UpstreamToolCall[] | null;
  annotations?: unknown[] | null;
  reasoning_content?: string | null;
  reasoning_details?: OpenAIReasoningDetail[] | null;
};

export type UpstreamChoice = {
  index?: number | null;
  message?: UpstreamMessage | null;
  logprobs?: UpstreamLogprobs | null;
  finish_reason?: string | null;
};

/** A `chat.completion` body, once `choices` was checked to be an array. */
export type UpstreamChatCompletion = {
  id?: string | null;
  model?: string | null;
  created?: number | null;
  choices: UpstreamChoice[];
  usage?: UpstreamUsage | null;
  service_tier?: unknown;
  system_fingerprint?: unknown;
};

export type UpstreamToolCallDelta = UpstreamToolCall & { index?: number | null };

export type UpstreamChunkChoice = {
  index?: number | null;
  delta?: {
    content?: unknown;
    refusal?: unknown;
    reasoning_content?: unknown;
    tool_calls?: UpstreamToolCallDelta[] | null;
  } | null;
  logprobs?: UpstreamLogprobs | null;
  finish_reason?: string | null;
};

/** One `chat.completion.chunk` of a stream. */
export type UpstreamChatChunk = {
  id?: string | null;
  model?: string | null;
  created?: number | null;
  choices?: UpstreamChunkChoice[] | null;
  usage?: UpstreamUsage | null;
  service_tier?: unknown;
  system_fingerprint?: unknown;
};
