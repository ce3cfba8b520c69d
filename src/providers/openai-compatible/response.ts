import { GatewayError } from '../../core/errors.ts';
import type { ChatResult, ChoiceLogprobs, ChoiceResult, Citation, ReasoningPart } from '../../core/types.ts';
import { isRecord } from '../../lib/json.ts';
import type { OpenAIReasoningDetail } from '../../protocols/openai-chat.ts';
import { mapOpenAIFinishReason } from './finish-reason.ts';
import type { ConvertUsage } from './hooks.ts';
import { fromOpenAIUsage } from './usage.ts';
import type { UpstreamChatCompletion, UpstreamChoice } from './wire-types.ts';

/** OpenAI `chat.completion` body → canonical result. */
export function fromOpenAIChatCompletion(body: unknown, convertUsage: ConvertUsage = fromOpenAIUsage): ChatResult {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError('upstream_bad_response', 'upstream returned a body that is not a chat completion');
  }
  const completion = body as UpstreamChatCompletion;
  const result: ChatResult = {
    id: completion.id ?? '',
    model: completion.model ?? '',
    created: completion.created ?? 0,
    choices: completion.choices.map(fromOpenAIChoice),
  };
  if (completion.usage) result.usage = convertUsage(completion.usage);
  if (typeof completion.service_tier === 'string') result.serviceTier = completion.service_tier;
  if (typeof completion.system_fingerprint === 'string') result.systemFingerprint = completion.system_fingerprint;
  return result;
}

function fromOpenAIChoice(choice: UpstreamChoice): ChoiceResult {
  const message = choice.message ?? {};
  return {
    index: choice.index ?? 0,
    text: typeof message.content === 'string' ? message.content : null,
    refusal: typeof message.refusal === 'string' ? message.refusal : null,
    reasoning: fromReasoning(message.reasoning_details, message.reasoning_content),
    toolCalls: (message.tool_calls ?? []).map((call) => ({
      type: 'tool-call' as const,
      id: call.id ?? '',
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
      ...(call.signature ? { signature: call.signature } : {}),
    })),
    citations: (message.annotations ?? []).flatMap(fromAnnotation),
    logprobs: (choice.logprobs as ChoiceLogprobs | null | undefined) ?? null,
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
  };
}

export function fromReasoning(
  details: OpenAIReasoningDetail[] | null | undefined,
  text: string | null | undefined,
): ReasoningPart[] {
  if (details?.length) {
    return details.map((detail) =>
      detail.type === 'reasoning.redacted'
        ? { type: 'reasoning', text: '', redactedData: detail.data ?? '' }
        : { type: 'reasoning', text: detail.text ?? '', ...(detail.signature ? { signature: detail.signature } : {}) },
    );
  }
  return typeof text === 'string' && text ? [{ type: 'reasoning', text }] : [];
}

function fromAnnotation(annotation: unknown): Citation[] {
  if (!isRecord(annotation) || !isRecord(annotation.url_citation)) return [];
  const c = annotation.url_citation;
  const citation: Citation = {};
  if (typeof c.url === 'string') citation.url = c.url;
  if (typeof c.title === 'string') citation.title = c.title;
  if (typeof c.start_index === 'number') citation.startIndex = c.start_index;
  if (typeof c.end_index === 'number') citation.endIndex = c.end_index;
  return [citation];
}
