/**
 * `reasoning_effort` → Claude thinking, and the constraints thinking puts on the rest of the body.
 *
 * Models with manual extended thinking (Claude 3.7, 4, 4.1, 4.5) get
 * `thinking: {type: "enabled", budget_tokens}`:
 *
 *   | reasoning_effort | budget_tokens |
 *   |------------------|---------------|
 *   | minimal          | 1024 (the API minimum) |
 *   | low              | 2048          |
 *   | medium           | 8192          |
 *   | high             | 16384         |
 *   | xhigh            | 32768         |
 *   | none             | (no thinking) |
 *
 * Models with adaptive thinking (4.6 and newer; 4.7+ reject manual budgets) get
 * `thinking: {type: "adaptive", display: "summarized"}` + `output_config.effort`:
 * minimal/low → low, medium → medium, high → high, xhigh → xhigh (→ max on 4.6, which has no
 * xhigh); none → `thinking: {type: "disabled"}`.
 *
 * The budget must be ≥ 1024 and < max_tokens. OpenAI's max_completion_tokens and Anthropic's
 * max_tokens both count reasoning tokens, so a client max_tokens above the budget is kept as is;
 * one at or below the budget is raised to max_tokens + budget (capped at the model's limit, the
 * budget shrinking to fit), with a warning. Without a client value max_tokens is the model's
 * maximum and the budget is capped at 3/4 of it.
 *
 * With thinking on, Claude rejects temperature ≠ 1, top_k, top_p < 0.95 and forced tool use
 * (tool_choice any/tool): those are dropped / relaxed to auto with a warning.
 */
import type { ChatRequest, JsonValue, ReasoningEffort } from '../../core/types.ts';
import type { AnthropicRequestBody, AnthropicThinking } from '../../protocols/anthropic-messages.ts';
import type { BuildContext } from './build-context.ts';

export const THINKING_BUDGETS: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

const MIN_BUDGET = 1024;

function adaptiveEffort(effort: Exclude<ReasoningEffort, 'none'>, xhigh: boolean): string {
  if (effort === 'minimal') return 'low';
  if (effort === 'xhigh') return xhigh ? 'xhigh' : 'max';
  return effort;
}

function isThinking(value: JsonValue | object | undefined): value is AnthropicThinking {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'type' in value;
}

/**
 * Sets `thinking` (and `output_config.effort`) from the canonical reasoning settings unless the
 * body already has a `thinking` object (client provider options or deployment overrides win), fits
 * `budget_tokens` and `max_tokens` together, and reports whether thinking is on.
 */
export function applyReasoning(
  body: AnthropicRequestBody,
  request: ChatRequest,
  clientSetMaxTokens: boolean,
  limit: number,
  ctx: BuildContext,
): boolean {
  if (!isThinking(body.thinking)) {
    const thinking = fromReasoning(request, ctx);
    if (thinking) body.thinking = thinking.thinking;
    if (thinking?.effort) body.output_config = { ...body.output_config, effort: thinking.effort };
  }
  const thinking = body.thinking;
  if (!isThinking(thinking) || thinking.type === 'disabled') return false;
  if (thinking.type === 'enabled') fitBudget(body, thinking, clientSetMaxTokens, limit, ctx);
  return true;
}

function fromReasoning(
  request: ChatRequest,
  ctx: BuildContext,
): { thinking: AnthropicThinking; effort?: string } | undefined {
  const reasoning = request.reasoning;
  if (!reasoning) return undefined;
  const { effort, budgetTokens } = reasoning;
  if (effort === 'none') return ctx.model.thinking === 'adaptive' ? { thinking: { type: 'disabled' } } : undefined;
  if (ctx.model.thinking === 'adaptive') {
    const level = adaptiveEffort(effort ?? 'medium', ctx.model.xhighEffort);
    return { thinking: { type: 'adaptive', display: 'summarized' }, effort: level };
  }
  const budget = budgetTokens ?? (effort ? THINKING_BUDGETS[effort] : undefined);
  return budget === undefined ? undefined : { thinking: { type: 'enabled', budget_tokens: budget } };
}

function fitBudget(
  body: AnthropicRequestBody,
  thinking: Extract<AnthropicThinking, { type: 'enabled' }>,
  clientSetMaxTokens: boolean,
  limit: number,
  ctx: BuildContext,
): void {
  let budget = Math.max(MIN_BUDGET, Math.floor(thinking.budget_tokens));
  if (clientSetMaxTokens) {
    const requested = body.max_tokens;
    if (budget >= requested) {
      const raised = Math.min(limit, requested + budget);
      if (requested + budget > limit) budget = Math.max(MIN_BUDGET, limit - requested);
      body.max_tokens = raised;
      ctx.warnings.push(`max_tokens raised from ${requested} to ${raised} to fit the thinking budget (${budget})`);
    }
  } else {
    budget = Math.min(budget, Math.max(MIN_BUDGET, Math.floor((body.max_tokens * 3) / 4)));
  }
  if (budget >= body.max_tokens) {
    delete body.thinking;
    ctx.warnings.push(
      `thinking disabled: max_tokens ${body.max_tokens} leaves no room for the minimum budget of ${MIN_BUDGET}`,
    );
    return;
  }
  if (budget !== thinking.budget_tokens) {
    if (thinking.budget_tokens < MIN_BUDGET)
      ctx.warnings.push(`thinking budget raised to the minimum of ${MIN_BUDGET}`);
    body.thinking = { ...thinking, budget_tokens: budget };
  }
}

/**
 * With thinking on, Claude requires the final assistant turn, when it called tools, to start with
 * its signed thinking block. Clients that do not send reasoning back (AI SDK, LangChain, Agents
 * SDK) would get a 400 at the second step of a tool loop: that request goes without thinking.
 * Returns whether thinking is still on.
 */
export function dropThinkingWithoutSignedToolTurn(body: AnthropicRequestBody, ctx: BuildContext): boolean {
  const last = body.messages.findLast((turn) => turn.role === 'assistant');
  if (!last?.content.some((block) => block.type === 'tool_use')) return true;
  const first = last.content[0]?.type;
  if (first === 'thinking' || first === 'redacted_thinking') return true;
  delete body.thinking;
  ctx.warnings.push(
    'thinking disabled for this request: the assistant turn with tool calls came back without its signed thinking (send reasoning_details back to keep thinking on)',
  );
  return false;
}

/** Drops what Claude rejects alongside thinking, each with a warning. */
export function applyThinkingConstraints(body: AnthropicRequestBody, ctx: BuildContext): void {
  if (body.temperature !== undefined && body.temperature !== 1) {
    delete body.temperature;
    ctx.warnings.push('temperature dropped: Claude only accepts temperature 1 with thinking');
  }
  if (body.top_k !== undefined) {
    delete body.top_k;
    ctx.warnings.push('top_k dropped: not supported with thinking');
  }
  if (body.top_p !== undefined && body.top_p < 0.95) {
    delete body.top_p;
    ctx.warnings.push('top_p dropped: Claude accepts top_p between 0.95 and 1 with thinking');
  }
  relaxForcedToolChoice(body, 'forced tool use is not allowed with thinking', ctx);
}

/** tool_choice any/tool → auto (keeping disable_parallel_tool_use), with a warning. */
export function relaxForcedToolChoice(body: AnthropicRequestBody, reason: string, ctx: BuildContext): void {
  const choice = body.tool_choice;
  if (choice && (choice.type === 'any' || choice.type === 'tool')) {
    body.tool_choice = {
      type: 'auto',
      ...(choice.disable_parallel_tool_use ? { disable_parallel_tool_use: true } : {}),
    };
    ctx.warnings.push(`tool_choice relaxed to auto: ${reason}`);
  }
}
