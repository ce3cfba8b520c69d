import type { OpenAIChatRequest, OpenAIMessage } from '../../protocols/openai-chat.ts';
import type { DeploymentTarget } from '../types.ts';

/**
 * The fast path: an OpenAI client body forwarded to an OpenAI-compatible upstream. Only what must
 * change is touched: `model`, usage always requested on streams, and the per-deployment parameter
 * mapping (max_tokens → max_completion_tokens, developer → system). Unknown fields pass untouched.
 */
export function preparePassthroughBody(
  body: OpenAIChatRequest,
  target: DeploymentTarget,
): { body: Record<string, unknown>; warnings: string[] } {
  const out: Record<string, unknown> = { ...body, model: target.model };
  const warnings: string[] = [];
  if (body.stream === true) out.stream_options = { ...body.stream_options, include_usage: true };
  const caps = target.capabilities;
  if (caps.maxCompletionTokensOnly && body.max_tokens != null) {
    if (body.max_completion_tokens == null) out.max_completion_tokens = body.max_tokens;
    delete out.max_tokens;
    warnings.push('max_tokens sent as max_completion_tokens');
  }
  if (caps.developerRoleUnsupported && body.messages.some((m) => m.role === 'developer')) {
    out.messages = body.messages.map((m): OpenAIMessage => (m.role === 'developer' ? { ...m, role: 'system' } : m));
    warnings.push('developer messages sent as system');
  }
  if (target.bodyOverrides) Object.assign(out, target.bodyOverrides);
  return { body: out, warnings };
}
