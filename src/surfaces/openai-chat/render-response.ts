import type { ChatResult, ChoiceResult, Citation, FinishReason } from '../../core/types.ts';
import type { OpenAIChatCompletion, OpenAIChoice, OpenAIResponseMessage } from '../../protocols/openai-chat.ts';
import { toOpenAIUsage } from './render-usage.ts';

export interface RenderOptions {
  /** The client sent legacy `functions`: answer with `function_call` (legacy-functions.ts). */
  legacyFunctions?: boolean;
}

/** Canonical result → OpenAI `chat.completion`. */
export function toOpenAIChatCompletion(result: ChatResult, options: RenderOptions = {}): OpenAIChatCompletion {
  const completion: OpenAIChatCompletion = {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map((choice) => toOpenAIChoice(choice, options.legacyFunctions === true)),
  };
  if (result.usage) completion.usage = toOpenAIUsage(result.usage);
  completion.service_tier = result.serviceTier ?? null;
  completion.system_fingerprint = result.systemFingerprint ?? null;
  return completion;
}

function toOpenAIChoice(choice: ChoiceResult, legacyFunctions: boolean): OpenAIChoice {
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
  const legacyCall = legacyFunctions ? choice.toolCalls[0] : undefined;
  if (legacyCall) {
    message.function_call = { name: legacyCall.name, arguments: legacyCall.arguments };
  } else if (choice.toolCalls.length > 0) {
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
    finish_reason: toOpenAIFinishReason(choice.finishReason, legacyFunctions),
  };
}

/**
 * OpenAI knows four finish reasons; `error` and `other` are reported as `stop`. Legacy `functions`
 * clients get `function_call` where others get `tool_calls`.
 */
export function toOpenAIFinishReason(reason: FinishReason, legacyFunctions = false): string {
  const unified = reason.unified;
  if (unified === 'tool_calls' && legacyFunctions) return 'function_call';
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
