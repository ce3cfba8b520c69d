/**
 * Canonical result → a Responses `response` object: the request's settings echoed, `output` with
 * reasoning items first, then the assistant message, then one `function_call` item per call;
 * `status` incomplete (with its reason) when the model stopped on the token limit or a filter.
 * The stream renderer builds its `response.created` / `response.completed` payloads here too.
 */
import type { ChatResult, ChoiceResult, FinishReason, Usage } from '../../core/types.ts';
import type {
  ResponsesOutputContent,
  ResponsesOutputItem,
  ResponsesRequestBody,
  ResponsesUsage,
} from '../../protocols/openai-responses.ts';
import { encodeReasoningCarrier } from './reasoning-carrier.ts';
import { ENCRYPTED_REASONING } from './to-canonical.ts';
import { customInputOf, customToolNames } from './tool-catalog.ts';

/** What a rendering needs besides the result: the ids and the client's body (echoed). */
export interface ResponseIdentity {
  /** `resp_…` id; item ids derive from it. */
  id: string;
  /** The model name the client asked for. */
  model: string;
  createdAt: number;
  body: ResponsesRequestBody;
  /** Echoed as `previous_response_id`. */
  previousResponseId?: string | null;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The `response` object in a given state (`output` and `usage` as they stand). */
export function responseObject(
  identity: ResponseIdentity,
  state: {
    status: ResponseStatus;
    output: ResponsesOutputItem[];
    usage: Usage | undefined;
    finish?: FinishReason | undefined;
    error?: { code: string | null; message: string } | undefined;
  },
): Record<string, unknown> {
  const { body } = identity;
  const done = state.status !== 'in_progress';
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.status === 'incomplete' ? { reason: incompleteReason(state.finish) } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: identity.model,
    output: state.output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: identity.previousResponseId ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    service_tier: body.service_tier ?? 'auto',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: done && state.usage ? toResponsesUsage(state.usage) : null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

/** `completed`, or `incomplete` when the model stopped on the token limit or a content filter. */
export function statusOf(finish: FinishReason | undefined): 'completed' | 'incomplete' {
  return finish?.unified === 'length' || finish?.unified === 'content_filter' ? 'incomplete' : 'completed';
}

function incompleteReason(finish: FinishReason | undefined): string {
  return finish?.unified === 'content_filter' ? 'content_filter' : 'max_output_tokens';
}

export function toResponsesUsage(usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Whether reasoning items carry `encrypted_content` (the client asked with `include`). */
export function carriesReasoning(body: ResponsesRequestBody): boolean {
  return body.include?.includes(ENCRYPTED_REASONING) === true;
}

export function toResponse(result: ChatResult, identity: ResponseIdentity): Record<string, unknown> {
  const choice = result.choices[0];
  const finish = choice?.finishReason;
  return responseObject(identity, {
    status: statusOf(finish),
    output: choice ? outputOf(choice, identity) : [],
    usage: result.usage,
    finish,
  });
}

function outputOf(choice: ChoiceResult, identity: ResponseIdentity): ResponsesOutputItem[] {
  const items: ResponsesOutputItem[] = [];
  const withCarrier = carriesReasoning(identity.body);
  choice.reasoning.forEach((part, index) => {
    const item: Extract<ResponsesOutputItem, { type: 'reasoning' }> = {
      id: `rs_${identity.id.slice(5)}_${index}`,
      type: 'reasoning',
      summary: part.text !== '' ? [{ type: 'summary_text', text: part.text }] : [],
    };
    const carried = withCarrier ? encodeReasoningCarrier(part) : undefined;
    if (carried !== undefined) item.encrypted_content = carried;
    items.push(item);
  });
  const content: ResponsesOutputContent[] = [];
  if (choice.text !== null && choice.text !== '') content.push(outputText(choice.text));
  if (choice.refusal !== null && choice.refusal !== '') content.push({ type: 'refusal', refusal: choice.refusal });
  if (content.length > 0 || (choice.toolCalls.length === 0 && items.length === 0)) {
    if (content.length === 0) content.push(outputText(''));
    const status = statusOf(choice.finishReason);
    items.push({ id: `msg_${identity.id.slice(5)}`, type: 'message', status, role: 'assistant', content });
  }
  const customTools = customToolNames(identity.body);
  choice.toolCalls.forEach((call, index) => {
    if (customTools.has(call.name)) {
      items.push({
        id: `ctc_${identity.id.slice(5)}_${index}`,
        type: 'custom_tool_call',
        status: 'completed',
        call_id: call.id,
        name: call.name,
        input: customInputOf(call.arguments),
      });
      return;
    }
    items.push({
      id: `fc_${identity.id.slice(5)}_${index}`,
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
  });
  return items;
}

export function outputText(text: string): ResponsesOutputContent {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}
