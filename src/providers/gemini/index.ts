import { sseStreamParser } from '../sse-parser.ts';
import type { DeploymentCapabilities, ProviderAdapter } from '../types.ts';
import { geminiEmbeddings } from './embeddings.ts';
import { parseGeminiError } from './errors.ts';
import { geminiPassthrough } from './passthrough.ts';
import { buildGeminiRequest } from './request.ts';
import { fromGeminiResponse } from './response.ts';
import { GeminiStreamParser } from './stream.ts';

/** Google AI Studio's Gemini API (`generateContent`, `streamGenerateContent?alt=sse`, `x-goog-api-key`). */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  wireFormat: 'gemini',
  passthrough: geminiPassthrough,
  /** GenerationConfig.candidateCount takes 1-8. */
  maxChoicesPerRequest: 8,
  modelInUrlPath: true,
  embeddings: geminiEmbeddings,
  capabilitiesFor: (): DeploymentCapabilities => ({}),
  buildRequest: buildGeminiRequest,
  parseResponse: fromGeminiResponse,
  createStreamParser: (target, options) =>
    sseStreamParser(new GeminiStreamParser(target, options?.request?.parallelToolCalls === false), options),
  parseError: parseGeminiError,
};
