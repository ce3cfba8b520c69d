import type { OpenAIChatRequest, OpenAIMessage } from '../../protocols/openai-chat.ts';
import type { DeploymentTarget } from '../types.ts';
import type { TransformRequestBody } from './hooks.ts';

/**
 * The fast path: an OpenAI client body forwarded to an OpenAI-compatible upstream. Only what must
 * change is touched: `model`, usage always requested on streams (unless the deployment's
 * `streamUsage` is false: then no `stream_options` at all), and the per-deployment parameter
 * mapping (max_tokens → max_completion_tokens, developer → system). Unknown fields pass untouched.
 */
export function preparePassthroughBody(
  body: OpenAIChatRequest,
  target: DeploymentTarget,
  transform?: TransformRequestBody,
): { body: Record<string, unknown>; warnings: string[] } {
  const out: Record<string, unknown> = { ...body, model: target.model };
  const warnings: string[] = [];
  const caps = target.capabilities;
  if (body.stream === true) {
    if (caps.streamUsage !== false) out.stream_options = { ...body.stream_options, include_usage: true };
    else if (body.stream_options !== undefined) {
      delete out.stream_options;
      warnings.push('stream_options not sent (the upstream does not take it)');
    }
  }
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
  return { body: transform ? transform(out, target) : out, warnings };
}
