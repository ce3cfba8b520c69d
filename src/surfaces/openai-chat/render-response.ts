import type { ChatResult, ChoiceResult, Citation, FinishReason } from '../../core/types.ts';
import type { OpenAIChatCompletion, OpenAIChoice, OpenAIResponseMessage } from '../../protocols/openai-chat.ts';
import { toOpenAIUsage } from './render-usage.ts';

/** Canonical result → OpenAI `chat.completion`. */
export function toOpenAIChatCompletion(result: ChatResult): OpenAIChatCompletion {
  const completion: OpenAIChatCompletion = {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map(toOpenAIChoice),
  };
  if (result.usage) completion.usage = toOpenAIUsage(result.usage);
  completion.service_tier = result.serviceTier ?? null;
  completion.system_fingerprint = result.systemFingerprint ?? null;
  return completion;
}

function toOpenAIChoice(choice: ChoiceResult): OpenAIChoice {
  const message: OpenAIResponseMessage = {
    role: 'assistant',
    content: choice.text ?? (choice.toolCalls.length > 0 || choice.refusal !== null ? null : ''),
    refusal: choice.refusal,
  };
  if (choice.reasoning.length > 0) {
    const text = choice.reasoning.map((part) => part.text).join('');
    if (text) message.reasoning_content = text;
    message.reasoning_details = choice.reasoning.map((part) =>
      part.redactedData !== undefined
        ? { type: 'reasoning.redacted' as const, data: part.redactedData }
        : {
            type: 'reasoning.text' as const,
            text: part.text,
            ...(part.signature ? { signature: part.signature } : {}),
          },
    );
  }
  if (choice.toolCalls.length > 0) {
    message.tool_calls = choice.toolCalls.map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.name, arguments: call.arguments },
      ...(call.signature ? { signature: call.signature } : {}),
    }));
  }
  message.annotations = choice.citations.map(toOpenAIAnnotation);
  return {
    index: choice.index,
    message,
    logprobs: choice.logprobs,
    finish_reason: toOpenAIFinishReason(choice.finishReason),
  };
}

/** OpenAI knows four finish reasons; `error` and `other` are reported as `stop`. */
export function toOpenAIFinishReason(reason: FinishReason): string {
  const unified = reason.unified;
  return unified === 'error' || unified === 'other' ? 'stop' : unified;
}

export function toOpenAIAnnotation(citation: Citation): Record<string, unknown> {
  return {
    type: 'url_citation',
    url_citation: {
      url: citation.url ?? '',
      title: citation.title ?? '',
      start_index: citation.startIndex ?? 0,
      end_index: citation.endIndex ?? 0,
    },
  };
}
