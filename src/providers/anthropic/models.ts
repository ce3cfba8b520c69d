/**
 * What llmux knows about Claude model families, matched on the upstream model name (substring, so
 * dated ids like `claude-sonnet-4-5-20250929` and Bedrock-style `anthropic.claude-…` ids match too).
 *
 * Sources: Anthropic's models overview (max output per model), the structured-outputs and
 * extended/adaptive thinking pages, and vercel/ai `getModelCapabilities` (provider-mapping.md §2).
 * First matching row wins, so more specific names come first.
 */
export interface ClaudeModelInfo {
  /** Largest `max_tokens` the model accepts; also the default when the client gives none. */
  maxOutputTokens: number;
  /** Takes `output_config.format` (native JSON-schema structured output) and `strict` tools. */
  structuredOutput: boolean;
  /** How `reasoning_effort` is expressed: a manual `budget_tokens`, or adaptive thinking + effort. */
  thinking: 'budget' | 'adaptive';
  /** Accepts `output_config.effort: "xhigh"` (4.6 models only know low/medium/high/max). */
  xhighEffort: boolean;
  /** Rejects temperature/top_p/top_k ("`temperature` is deprecated for this model"). */
  rejectsSampling: boolean;
  /** Rejects temperature and top_p together (Claude 4.5 and newer). */
  rejectsTemperatureWithTopP: boolean;
  /** Rejects forced tool use (`tool_choice` any/tool). */
  rejectsForcedToolUse: boolean;
  /** False when no row matched (defaults are used). */
  known: boolean;
}

interface Row {
  match: RegExp;
  info: Omit<ClaudeModelInfo, 'known'>;
}

const legacy = { structuredOutput: false, thinking: 'budget', xhighEffort: false, rejectsSampling: false } as const;
const plain = { rejectsTemperatureWithTopP: false, rejectsForcedToolUse: false } as const;
const gen5 = {
  maxOutputTokens: 128_000,
  structuredOutput: true,
  thinking: 'adaptive',
  xhighEffort: true,
  rejectsSampling: true,
  rejectsTemperatureWithTopP: true,
} as const;

const ROWS: Row[] = [
  // Claude 5 family (and its point releases): adaptive thinking only, no sampling parameters.
  { match: /claude-(opus|sonnet|haiku)-5-5|claude-fable-5-1/, info: { ...gen5, rejectsForcedToolUse: true } },
  { match: /claude-(opus|sonnet|haiku|fable|mythos)-5/, info: { ...gen5, rejectsForcedToolUse: false } },
  { match: /claude-opus-4-[78]/, info: { ...gen5, rejectsForcedToolUse: false } },
  {
    match: /claude-(opus|sonnet)-4-6/,
    info: {
      maxOutputTokens: 128_000,
      structuredOutput: true,
      thinking: 'adaptive',
      xhighEffort: false,
      rejectsSampling: false,
      rejectsTemperatureWithTopP: true,
      rejectsForcedToolUse: false,
    },
  },
  {
    match: /claude-(opus|sonnet|haiku)-4-5/,
    info: {
      ...legacy,
      maxOutputTokens: 64_000,
      structuredOutput: true,
      rejectsTemperatureWithTopP: true,
      rejectsForcedToolUse: false,
    },
  },
  { match: /claude-opus-4-1/, info: { ...legacy, ...plain, maxOutputTokens: 32_000, structuredOutput: true } },
  { match: /claude-opus-4/, info: { ...legacy, ...plain, maxOutputTokens: 32_000 } },
  { match: /claude-sonnet-4/, info: { ...legacy, ...plain, maxOutputTokens: 64_000 } },
  { match: /claude-3-7-sonnet/, info: { ...legacy, ...plain, maxOutputTokens: 64_000 } },
  { match: /claude-3-5-(sonnet|haiku)/, info: { ...legacy, ...plain, maxOutputTokens: 8_192 } },
  {
    match: /claude-3-(opus|sonnet|haiku)|claude-2|claude-instant/,
    info: { ...legacy, ...plain, maxOutputTokens: 4_096 },
  },
];

/**
 * Unknown names: a `claude-*` name is assumed to be a recent model (64000 output tokens) without
 * claiming features whose absence would make the API answer 400; anything else (an
 * Anthropic-compatible server with its own model names) gets the conservative 4096.
 */
export function claudeModelInfo(model: string): ClaudeModelInfo {
  const name = model.toLowerCase();
  for (const row of ROWS) if (row.match.test(name)) return { ...row.info, known: true };
  return { ...legacy, ...plain, maxOutputTokens: name.includes('claude') ? 64_000 : 4_096, known: false };
}
