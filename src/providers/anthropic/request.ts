/** Canonical request → Anthropic `POST /v1/messages` (body, headers, warnings). */
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest } from '../../core/types.ts';
import type { AnthropicRequestBody } from '../../protocols/anthropic-messages.ts';
import { classifyExtraFields } from '../openai-extra-fields.ts';
import type { BuiltRequest, DeploymentTarget } from '../types.ts';
import { type BuildContext, rejectOrDrop } from './build-context.ts';
import { mergeRawFields } from './merge-options.ts';
import { toAnthropicPrompt } from './messages.ts';
import { claudeModelInfo } from './models.ts';
import {
  applyReasoning,
  applyThinkingConstraints,
  dropThinkingWithoutSignedToolTurn,
  relaxForcedToolChoice,
} from './reasoning.ts';
import { applyResponseFormat } from './response-format.ts';
import { toAnthropicTooling } from './tools.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic rejects these as `metadata.user_id` (LiteLLM checks the same). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,}$/;

export function toAnthropicRequest(
  request: ChatRequest,
  target: DeploymentTarget,
): { body: AnthropicRequestBody; betas: string[]; warnings: string[] } {
  const model = claudeModelInfo(target.model);
  const ctx: BuildContext = {
    model,
    dropUnsupported: target.capabilities.dropUnsupported === true,
    warnings: [],
    betas: new Set(),
  };
  rejectUnsupported(request, ctx);
  const prompt = toAnthropicPrompt(request.messages, ctx);
  const fallback = target.capabilities.maxOutputTokens ?? model.maxOutputTokens;
  // Highest max_tokens llmux will send: the model's maximum when the model is known.
  const limit = model.known ? model.maxOutputTokens : Math.max(model.maxOutputTokens, fallback);
  const body: AnthropicRequestBody = {
    model: target.model,
    messages: prompt.messages,
    max_tokens: maxTokens(request.maxOutputTokens, Math.min(fallback, limit), limit, ctx),
  };
  if (prompt.system.length > 0) body.system = prompt.system;
  applySampling(body, request, ctx);
  if (request.stop?.length) {
    const kept = request.stop.filter((sequence) => sequence.trim() !== '');
    if (kept.length < request.stop.length)
      ctx.warnings.push('stop: whitespace-only sequences dropped (Claude rejects them)');
    if (kept.length > 0) body.stop_sequences = kept;
  }
  const tooling = toAnthropicTooling(request, prompt.historyToolNames, ctx);
  if (tooling.tools) body.tools = tooling.tools;
  if (tooling.toolChoice) body.tool_choice = tooling.toolChoice;
  if (request.user !== undefined && request.user !== '') {
    if (EMAIL.test(request.user) || PHONE.test(request.user))
      ctx.warnings.push('user not sent as metadata.user_id: Claude rejects emails and phone numbers');
    else body.metadata = { user_id: request.user };
  }
  if (request.serviceTier !== undefined) applyServiceTier(body, request.serviceTier, ctx);
  if (request.stream) body.stream = true;

  const clientBetas = mergeRawFields(body, request.providerOptions?.anthropic, target.bodyOverrides, ctx);
  const clientSetMax = request.maxOutputTokens !== undefined || target.bodyOverrides?.max_tokens !== undefined;
  const thinkingOn =
    applyReasoning(body, request, clientSetMax, limit, ctx) && dropThinkingWithoutSignedToolTurn(body, ctx);
  applyResponseFormat(body, request, thinkingOn, ctx);
  if (thinkingOn) applyThinkingConstraints(body, ctx);
  if (model.rejectsForcedToolUse) relaxForcedToolChoice(body, 'this model rejects forced tool use', ctx);
  applyModelSamplingRules(body, ctx);
  return { body, betas: [...ctx.betas, ...clientBetas], warnings: ctx.warnings };
}

/** OpenAI fields Claude has no equivalent for: 400 naming the field, or dropped with a warning. */
function rejectUnsupported(request: ChatRequest, ctx: BuildContext): void {
  if (request.logprobs === true) rejectOrDrop(ctx, 'logprobs', 'Claude does not return log probabilities');
  if (request.topLogprobs !== undefined) rejectOrDrop(ctx, 'top_logprobs', 'Claude does not return log probabilities');
  if (request.presencePenalty !== undefined) rejectOrDrop(ctx, 'presence_penalty', 'Claude has no presence penalty');
  if (request.frequencyPenalty !== undefined) rejectOrDrop(ctx, 'frequency_penalty', 'Claude has no frequency penalty');
  if (request.seed !== undefined) rejectOrDrop(ctx, 'seed', 'Claude has no seed');
  if (request.logitBias !== undefined && Object.keys(request.logitBias).length > 0) {
    rejectOrDrop(ctx, 'logit_bias', 'Claude has no logit bias');
  }
  if (request.metadata !== undefined && Object.keys(request.metadata).length > 0) {
    ctx.warnings.push('metadata not sent: Claude only takes metadata.user_id (from user)');
  }
  if (request.n !== undefined && request.n > 1)
    ctx.warnings.push(`n=${request.n}: one Claude request returns one choice`);
  for (const { field, kind } of classifyExtraFields(request.extraFields)) {
    if (kind === 'hint') ctx.warnings.push(`${field} ignored: Claude has no equivalent`);
    else rejectOrDrop(ctx, field, 'Claude has no equivalent');
  }
}

/**
 * Claude requires max_tokens. Client value (max_completion_tokens or max_tokens), else the
 * deployment's `capabilities.maxOutputTokens`, else the model's maximum from the built-in table
 * (models.ts); a client value above a known model's maximum is lowered to it.
 */
function maxTokens(asked: number | undefined, fallback: number, limit: number, ctx: BuildContext): number {
  if (asked === undefined) return fallback;
  if (asked > limit) {
    ctx.warnings.push(`max_tokens lowered from ${asked} to ${limit}, this model's maximum`);
    return limit;
  }
  return asked;
}

function applySampling(body: AnthropicRequestBody, request: ChatRequest, ctx: BuildContext): void {
  if (request.temperature !== undefined) {
    const clamped = Math.min(1, Math.max(0, request.temperature));
    if (clamped !== request.temperature)
      ctx.warnings.push(`temperature clamped from ${request.temperature} to ${clamped} (Claude range 0-1)`);
    body.temperature = clamped;
  }
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
}

/** Newest models reject sampling parameters; 4.5+ reject temperature and top_p together. */
function applyModelSamplingRules(body: AnthropicRequestBody, ctx: BuildContext): void {
  if (ctx.model.rejectsSampling) {
    for (const key of ['temperature', 'top_p', 'top_k'] as const) {
      if (body[key] !== undefined) {
        delete body[key];
        ctx.warnings.push(`${key} dropped: not supported by this model`);
      }
    }
    return;
  }
  if (ctx.model.rejectsTemperatureWithTopP && body.temperature !== undefined && body.top_p !== undefined) {
    delete body.top_p;
    ctx.warnings.push('top_p dropped: this model takes temperature or top_p, not both');
  }
}

/** OpenAI `auto` → Anthropic `auto`, `default` → `standard_only`; other tiers have no equivalent. */
function applyServiceTier(body: AnthropicRequestBody, tier: string, ctx: BuildContext): void {
  if (tier === 'auto') body.service_tier = 'auto';
  else if (tier === 'default') body.service_tier = 'standard_only';
  else ctx.warnings.push(`service_tier '${tier}' not sent: Claude has no equivalent`);
}

/** `${baseUrl}/v1/messages`; a base URL that already ends in /v1 is accepted too. */
export function anthropicMessagesUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

export function buildAnthropicRequest(request: ChatRequest, target: DeploymentTarget): BuiltRequest {
  const { body, betas, warnings } = toAnthropicRequest(request, target);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: request.stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    ...target.headers,
  };
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  const configured = Object.entries(headers).find(([name]) => name.toLowerCase() === 'anthropic-beta');
  const allBetas = new Set([...(configured ? configured[1].split(',').map((beta) => beta.trim()) : []), ...betas]);
  allBetas.delete('');
  // Client betas are checked on the way in; this keeps a bad one from becoming a 500 in undici.
  if (betas.some((beta) => !/^[\x20-\x7e]+$/.test(beta))) {
    throw new GatewayError(
      'invalid_request',
      "Invalid value for 'provider_options.anthropic.betas': printable ASCII only.",
      {
        param: 'provider_options.anthropic.betas',
        reason: 'invalid_value',
      },
    );
  }
  if (configured) delete headers[configured[0]];
  if (allBetas.size > 0) headers['anthropic-beta'] = [...allBetas].join(',');
  return {
    request: { method: 'POST', url: anthropicMessagesUrl(target.baseUrl), headers, body: JSON.stringify(body) },
    warnings,
  };
}
