import { sseStreamParser } from '../sse-parser.ts';
import type { DeploymentCapabilities, ProviderAdapter } from '../types.ts';
import { parseGeminiError } from './errors.ts';
import { buildGeminiRequest } from './request.ts';
import { fromGeminiResponse } from './response.ts';
import { GeminiStreamParser } from './stream.ts';

/** Google AI Studio's Gemini API (`generateContent`, `streamGenerateContent?alt=sse`, `x-goog-api-key`). */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  wireFormat: 'gemini',
  /** GenerationConfig.candidateCount takes 1-8. */
  maxChoicesPerRequest: 8,
  modelInUrlPath: true,
  capabilitiesFor: (): DeploymentCapabilities => ({}),
  buildRequest: buildGeminiRequest,
  parseResponse: fromGeminiResponse,
  createStreamParser: (target, options) =>
    sseStreamParser(new GeminiStreamParser(target, options?.request?.parallelToolCalls === false), options),
  parseError: parseGeminiError,
};
