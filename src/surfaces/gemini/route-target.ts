import { GatewayError } from '../../core/errors.ts';

/** The methods of `POST /v1beta/models/{model}:{method}` that llmux serves. */
export const GEMINI_METHODS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
] as const;
export type GeminiMethod = (typeof GEMINI_METHODS)[number];

/** The methods served by the embeddings surface. */
export function isEmbeddingMethod(method: GeminiMethod): boolean {
  return method === 'embedContent' || method === 'batchEmbedContents';
}

export interface GeminiRouteTarget {
  model: string;
  method: GeminiMethod;
}

/**
 * Splits the route's one path segment `{model}:{method}` (Fastify cannot route on a literal colon
 * after a parameter). The model may be given as `models/{model}` by some clients; the prefix is
 * removed. An unknown method is a 404 in Google's words.
 */
export function geminiRouteTarget(modelAction: string | undefined): GeminiRouteTarget {
  // Fastify has already percent-decoded the parameter.
  const segment = modelAction ?? '';
  const colon = segment.lastIndexOf(':');
  const model = (colon < 0 ? segment : segment.slice(0, colon)).replace(/^models\//, '');
  const method = colon < 0 ? '' : segment.slice(colon + 1);
  if (!isGeminiMethod(method)) {
    throw new GatewayError('not_found', `Method not found: models/${model}:${method || '(none)'}.`);
  }
  if (model === '') throw new GatewayError('invalid_request', 'The model name in the URL is empty.');
  return { model, method };
}

function isGeminiMethod(value: string): value is GeminiMethod {
  return (GEMINI_METHODS as readonly string[]).includes(value);
}

/** `alt=sse` asks for Server-Sent Events; otherwise `streamGenerateContent` answers one JSON array, written as it grows. */
export function wantsSse(query: Readonly<Record<string, string | string[] | undefined>> | undefined): boolean {
  const alt = query?.alt;
  return (Array.isArray(alt) ? alt[0] : alt) === 'sse';
}
