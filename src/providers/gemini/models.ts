import type { GeminiThinkingLevel } from '../../protocols/gemini.ts';

/**
 * What llmux knows about a Gemini model name. Anything not listed here falls back to the most
 * common current behaviour; clients can always force raw fields with `provider_options.gemini`.
 */
export interface GeminiModelTraits {
  /** How thinking is controlled: Gemini 3 levels, a token budget (2.5 and unknown models), or not at all. */
  thinking: 'level' | 'budget' | 'none';
  /** Thinking levels the model accepts (Gemini 3 only), lowest first. */
  levels: GeminiThinkingLevel[];
  /** Smallest thinking budget; 0 when thinking can be turned off. */
  minBudget: number;
  /** Budget used for `reasoning_effort: minimal`. */
  minimalBudget: number;
  /** Accepts `parametersJsonSchema` / `responseJsonSchema` (plain JSON Schema); else the OpenAPI subset. */
  jsonSchema: boolean;
  /** presence/frequency penalties are known to be rejected ("Penalty is not enabled for models/gemini-2.5-flash"). */
  penaltiesRejected: boolean;
  /** Gemma models take no systemInstruction: it is prepended to the first user turn (as vercel/ai does). */
  systemInstruction: boolean;
  /** Gemini 3 rejects replayed function calls without their thoughtSignature. */
  requiresThoughtSignatures: boolean;
  /** functionResponse may carry media in `parts` (Gemini 3 multimodal function responses). */
  functionResponseParts: boolean;
  /** FunctionCallingConfig mode VALIDATED (used for strict tools). */
  validatedMode: boolean;
}

/** `models/gemini-2.5-flash` and `gemini-2.5-flash` are the same model. */
export function bareModelName(model: string): string {
  const slash = model.lastIndexOf('/');
  return (slash >= 0 ? model.slice(slash + 1) : model).toLowerCase();
}

export function geminiModelTraits(model: string): GeminiModelTraits {
  const name = bareModelName(model);
  const gemini3 = /^gemini-3(?:\.\d+)?-/.test(name) || name.startsWith('gemini-3-');
  const gemini25 = name.startsWith('gemini-2.5-');
  const legacy = /^gemini-(?:1\.|2\.0-|pro\b|pro-vision)/.test(name) || /^gemma-[1-3](?:\D|$)/.test(name);
  const gemma = name.startsWith('gemma-');
  return {
    thinking: gemini3 ? 'level' : legacy ? 'none' : 'budget',
    levels: gemini3 ? gemini3Levels(name) : [],
    minBudget: gemini25 && name.includes('pro') ? 128 : 0,
    minimalBudget: gemini25 && name.includes('pro') ? 128 : 512,
    jsonSchema: !/^gemini-1\./.test(name) && !/^gemma-[1-3](?:\D|$)/.test(name),
    penaltiesRejected: gemini25 || gemini3,
    systemInstruction: !gemma,
    requiresThoughtSignatures: gemini3,
    functionResponseParts: gemini3,
    validatedMode: gemini25 || gemini3,
  };
}

/**
 * Gemini 3 thinking levels (ai.google.dev Gemini 3 guide): Flash takes minimal/low/medium/high;
 * 3 Pro low/high; 3.1 Pro and later add medium. None of them can turn thinking off.
 */
function gemini3Levels(name: string): GeminiThinkingLevel[] {
  if (name.includes('flash')) return ['minimal', 'low', 'medium', 'high'];
  if (/^gemini-3-pro/.test(name)) return ['low', 'high'];
  return ['low', 'medium', 'high'];
}
