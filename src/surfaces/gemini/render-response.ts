import type { ChatResult } from '../../core/types.ts';
import type { GeminiResponse } from '../../protocols/gemini.ts';
import { toGeminiFinishReason, toGeminiParts, toGeminiUsage } from './render-parts.ts';

/** A canonical result → a `GenerateContentResponse`. */
export function toGeminiResponse(result: ChatResult, includeThoughts = true): GeminiResponse {
  const response: GeminiResponse = {
    candidates: result.choices.map((choice) => ({
      content: {
        role: 'model',
        parts: toGeminiParts(
          includeThoughts ? choice.reasoning : choice.reasoning.map((part) => ({ ...part, text: '' })),
          choice.text ?? choice.refusal,
          choice.toolCalls,
        ),
      },
      finishReason: toGeminiFinishReason(choice.finishReason),
      index: choice.index,
    })),
  };
  if (result.usage !== undefined) response.usageMetadata = toGeminiUsage(result.usage);
  response.modelVersion = result.model;
  response.responseId = result.id;
  return response;
}
