/**
 * OpenAI Chat Completions wire types, shared by the openai-chat surface and the openai-compatible
 * provider (both speak this format; neither may import the other). Types only.
 */

export interface OpenAIContentPartText {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral'; ttl?: string };
}
export interface OpenAIContentPartImage {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
  cache_control?: { type: 'ephemeral'; ttl?: string };
}
export interface OpenAIContentPartAudio {
  type: 'input_audio';
  input_audio: { data: string; format: string };
}
export interface OpenAIContentPartFile {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
  cache_control?: { type: 'ephemeral'; ttl?: string };
}
export interface OpenAIContentPartRefusal {
  type: 'refusal';
  refusal: string;
}
export type OpenAIContentPart =
  | OpenAIContentPartText
  | OpenAIContentPartImage
  | OpenAIContentPartAudio
  | OpenAIContentPartFile
  | OpenAIContentPartRefusal;

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** llmux extension: provider signature carried across turns (Gemini 3 thoughtSignature). */
  signature?: string;
}

/** llmux extension on assistant messages: reasoning blocks to hand back (Anthropic thinking). */
export interface OpenAIReasoningDetail {
  type: 'reasoning.text' | 'reasoning.redacted';
  text?: string;
  signature?: string;
  data?: string;
  /** Streamed: the reasoning block the delta belongs to (entries with one index concatenate). */
  index?: number;
}

export interface OpenAIMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  content?: string | OpenAIContentPart[] | null;
  name?: string;
  tool_calls?: OpenAIToolCall[];
  tool_call_id?: string;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning_details?: OpenAIReasoningDetail[];
  [extra: string]: unknown;
}

export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
  cache_control?: { type: 'ephemeral'; ttl?: string };
}

export type OpenAIToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | { type: 'allowed_tools'; allowed_tools: unknown };

export interface OpenAIChatRequest {
  model: string;
  messages: OpenAIMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean; include_obfuscation?: boolean } | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  user?: string;
  seed?: number | null;
  response_format?:
    | { type: 'text' }
    | { type: 'json_object' }
    | {
        type: 'json_schema';
        json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null };
      };
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  reasoning_effort?: string | null;
  service_tier?: string | null;
  metadata?: Record<string, string> | null;
  [extra: string]: unknown;
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    cached_tokens?: number;
    audio_tokens?: number;
    cache_write_tokens?: number;
    [k: string]: unknown;
  } | null;
  completion_tokens_details?: {
    reasoning_tokens?: number;
    audio_tokens?: number;
    accepted_prediction_tokens?: number;
    rejected_prediction_tokens?: number;
    [k: string]: unknown;
  } | null;
  [extra: string]: unknown;
}

export interface OpenAIResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: OpenAIToolCall[];
  /** Legacy answer to a request with `functions`. */
  function_call?: { name: string; arguments: string };
  annotations?: unknown[];
  reasoning_content?: string;
  reasoning_details?: OpenAIReasoningDetail[];
  [extra: string]: unknown;
}

export interface OpenAIChoice {
  index: number;
  message: OpenAIResponseMessage;
  logprobs: { content: unknown[] | null; refusal: unknown[] | null } | null;
  finish_reason: string | null;
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: OpenAIChoice[];
  usage?: OpenAIUsage;
  service_tier?: string | null;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}

export interface OpenAIChunkToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  signature?: string;
}

export interface OpenAIChunkChoice {
  index: number;
  delta: {
    role?: 'assistant';
    content?: string | null;
    refusal?: string | null;
    tool_calls?: OpenAIChunkToolCallDelta[];
    function_call?: { name?: string; arguments?: string };
    reasoning_content?: string;
    reasoning_details?: OpenAIReasoningDetail[];
    [extra: string]: unknown;
  };
  logprobs?: { content: unknown[] | null; refusal: unknown[] | null } | null;
  finish_reason: string | null;
}

export interface OpenAIChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: OpenAIChunkChoice[];
  usage?: OpenAIUsage | null;
  service_tier?: string | null;
  system_fingerprint?: string | null;
  [extra: string]: unknown;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
