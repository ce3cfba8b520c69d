/**
 * Wire types of the OpenAI Responses API (`POST /v1/responses`), shared by the surface that
 * serves it and a provider that would speak it. Only what llmux reads or writes is typed; the
 * rest of a body stays as sent.
 */

export interface ResponsesRequestBody {
  model: string;
  /** A string (one user message) or the conversation as items. */
  input?: string | ResponsesInputItem[];
  instructions?: string | null;
  tools?: ResponsesTool[];
  tool_choice?: string | { type: string; name?: string };
  parallel_tool_calls?: boolean | null;
  text?: { format?: ResponsesTextFormat; verbosity?: string } | null;
  reasoning?: { effort?: string | null; summary?: string | null; [key: string]: unknown } | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  metadata?: Record<string, string> | null;
  include?: string[] | null;
  store?: boolean | null;
  stream?: boolean | null;
  previous_response_id?: string | null;
  user?: string | null;
  service_tier?: string | null;
  [field: string]: unknown;
}

/** An input item: a message (with or without `type`), a function call or its output, a reasoning item, … */
export type ResponsesInputItem = Record<string, unknown> & { type?: string };

export interface ResponsesTool {
  type: string;
  name?: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
  [field: string]: unknown;
}

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean | null;
    };

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesOutputContent =
  | { type: 'output_text'; text: string; annotations: unknown[]; logprobs: unknown[] }
  | { type: 'refusal'; refusal: string };

export type ResponsesOutputItem =
  | {
      id: string;
      type: 'message';
      status: 'in_progress' | 'completed' | 'incomplete';
      role: 'assistant';
      content: ResponsesOutputContent[];
    }
  | {
      id: string;
      type: 'function_call';
      status: 'in_progress' | 'completed' | 'incomplete';
      call_id: string;
      name: string;
      arguments: string;
    }
  | {
      id: string;
      type: 'custom_tool_call';
      status: 'in_progress' | 'completed' | 'incomplete';
      call_id: string;
      name: string;
      input: string;
    }
  | {
      id: string;
      type: 'reasoning';
      summary: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content?: string;
    };
