import type { ReasoningEffort, ReasoningSettings } from '../../core/types.ts';
import type { GeminiThinkingConfig, GeminiThinkingLevel } from '../../protocols/gemini.ts';
import type { Adjustments } from './adjustments.ts';
import type { GeminiModelTraits } from './models.ts';

/**
 * `reasoning_effort` → `generationConfig.thinkingConfig`.
 *
 * Gemini 2.5 and models not known otherwise take a token budget (`thinkingBudget`); the values are
 * litellm's defaults (LL-GV / LL-C), with the model minimums of the Gemini thinking guide:
 *
 * | effort  | 2.5 Pro        | 2.5 Flash / Flash-Lite / other |
 * |---------|----------------|--------------------------------|
 * | none    | 128 (+warning: 2.5 Pro cannot turn thinking off) | 0 |
 * | minimal | 128            | 512                            |
 * | low     | 1024           | 1024                           |
 * | medium  | 2048           | 2048                           |
 * | high    | 4096           | 4096                           |
 * | xhigh   | 8192           | 8192                           |
 *
 * Gemini 3 takes a level (`thinkingLevel`, never together with a budget). The effort is used when
 * the model has that level; otherwise the nearest one it has, with a warning (Gemini 3 cannot turn
 * thinking off, so `none` becomes its lowest level):
 *
 * | effort  | 3 Pro (low, high) | 3.1+ Pro (low, medium, high) | 3 Flash (minimal … high) |
 * |---------|-------------------|------------------------------|--------------------------|
 * | none    | low (+warning)    | low (+warning)               | minimal (+warning)       |
 * | minimal | low (+warning)    | low (+warning)               | minimal                  |
 * | low     | low               | low                          | low                      |
 * | medium  | high (+warning)   | medium                       | medium                   |
 * | high    | high              | high                         | high                     |
 * | xhigh   | high (+warning)   | high (+warning)              | high (+warning)          |
 *
 * `includeThoughts` is true whenever reasoning was asked for (effort other than `none`), so the
 * thought summaries come back as `reasoning_content`; `reasoning.includeThoughts` overrides it.
 * An explicit `reasoning.budgetTokens` is sent as `thinkingBudget` on any thinking model.
 * Models without thinking (Gemini 1.x, 2.0, Gemma 1-3): `reasoning_effort` other than `none` is
 * unsupported (400, or dropped with a warning under `dropUnsupported`).
 */
export const THINKING_BUDGETS: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 512,
  low: 1024,
  medium: 2048,
  high: 4096,
  xhigh: 8192,
};

const LEVEL_ORDER: GeminiThinkingLevel[] = ['minimal', 'low', 'medium', 'high'];

export function toGeminiThinkingConfig(
  reasoning: ReasoningSettings | undefined,
  traits: GeminiModelTraits,
  adjustments: Adjustments,
): GeminiThinkingConfig | undefined {
  if (!reasoning) return undefined;
  const { effort, budgetTokens } = reasoning;
  const wantsThinking = (effort !== undefined && effort !== 'none') || (budgetTokens !== undefined && budgetTokens > 0);
  if (traits.thinking === 'none') {
    if (wantsThinking)
      adjustments.unsupported('reasoning_effort', 'is not supported by this model (it does not think)');
    return undefined;
  }
  const config: GeminiThinkingConfig = {};
  if (budgetTokens !== undefined) config.thinkingBudget = Math.max(budgetTokens, traits.minBudget);
  else if (effort !== undefined && traits.thinking === 'level')
    config.thinkingLevel = toLevel(effort, traits, adjustments);
  else if (effort !== undefined) config.thinkingBudget = toBudget(effort, traits, adjustments);
  const includeThoughts = reasoning.includeThoughts ?? wantsThinking;
  if (includeThoughts) config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : undefined;
}

function toBudget(effort: ReasoningEffort, traits: GeminiModelTraits, adjustments: Adjustments): number {
  if (effort === 'none') {
    if (traits.minBudget > 0) {
      adjustments.warn(
        `reasoning_effort none: this model cannot turn thinking off; thinkingBudget ${traits.minBudget} sent`,
      );
    }
    return traits.minBudget;
  }
  if (effort === 'minimal') return traits.minimalBudget;
  return THINKING_BUDGETS[effort];
}

function toLevel(effort: ReasoningEffort, traits: GeminiModelTraits, adjustments: Adjustments): GeminiThinkingLevel {
  const levels = traits.levels;
  const lowest = levels[0] ?? 'low';
  const highest = levels.at(-1) ?? 'high';
  let level: GeminiThinkingLevel;
  if (effort === 'none') level = lowest;
  else if (effort === 'xhigh') level = highest;
  else if (levels.includes(effort)) return effort;
  else level = nearestLevel(effort, levels) ?? highest;
  adjustments.warn(
    `reasoning_effort ${effort} sent as thinkingLevel ${level} (levels of this model: ${levels.join(', ')})`,
  );
  return level;
}

/** The closest supported level; a tie goes to the higher one (the models' default is high). */
function nearestLevel(wanted: GeminiThinkingLevel, levels: GeminiThinkingLevel[]): GeminiThinkingLevel | undefined {
  const target = LEVEL_ORDER.indexOf(wanted);
  let best: GeminiThinkingLevel | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const level of levels) {
    const distance = Math.abs(LEVEL_ORDER.indexOf(level) - target);
    if (distance <= bestDistance) {
      best = level;
      bestDistance = distance;
    }
  }
  return best;
}
