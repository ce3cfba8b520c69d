import type { TracedRequestParams } from './traced-record.ts';

/**
 * `temperature` and `top_p` as the client sent them, read off the parsed body without building the
 * canonical request (passthrough never builds it). OpenAI chat, Responses and Anthropic Messages
 * carry them at the top level; Gemini in `generationConfig`.
 */
export function requestParams(
  wireFormat: string,
  wireBody: object,
  maxOutputTokens: number | undefined,
): TracedRequestParams {
  const source = wireFormat === 'gemini' ? Reflect.get(wireBody, 'generationConfig') : wireBody;
  const holder = typeof source === 'object' && source !== null ? source : {};
  return {
    maxTokens: maxOutputTokens ?? null,
    temperature: numberField(holder, 'temperature'),
    topP: numberField(holder, wireFormat === 'gemini' ? 'topP' : 'top_p'),
  };
}

function numberField(holder: object, name: string): number | null {
  const value: unknown = Reflect.get(holder, name);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
