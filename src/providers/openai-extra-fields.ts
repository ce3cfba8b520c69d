import type { JsonObject, JsonValue } from '../core/types.ts';

/**
 * How a translated provider treats the OpenAI fields llmux has no canonical field for
 * (`ChatRequest.extraFields`). None is dropped silently:
 *
 * - `hint`: changes nothing in the answer (storage on OpenAI's side, cache routing, abuse
 *   tracking ids): always accepted, listed in `x-llmux-warnings`.
 * - `unsupported`: anything else (`prediction`, `audio`, `web_search_options`, `verbosity`, unknown
 *   names, …): a 400 naming the field, or, under `capabilities.dropUnsupported`, dropped and listed.
 *
 * A value that asks for nothing (`store: false`, `modalities: ['text']`, null, an empty list) loses nothing when left out, so it is accepted without a word.
 */
const HINTS = new Set([
  'store',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  // Anthropic's context editing (Claude Code sends it on every request): another model keeps its context as sent.
  'context_management',
]);

export interface ExtraField {
  field: string;
  kind: 'hint' | 'unsupported';
}

export function classifyExtraFields(
  extra: JsonObject | undefined,
  mapped: ReadonlySet<string> = new Set(),
): ExtraField[] {
  const out: ExtraField[] = [];
  for (const [field, value] of Object.entries(extra ?? {})) {
    if (mapped.has(field) || asksForNothing(field, value)) continue;
    out.push({ field, kind: HINTS.has(field) ? 'hint' : 'unsupported' });
  }
  return out;
}

function asksForNothing(field: string, value: JsonValue): boolean {
  if (value === null || value === false) return true;
  if (Array.isArray(value)) return value.length === 0 || (field === 'modalities' && value.every((m) => m === 'text'));
  return false;
}
