/**
 * What an OpenAI chat body cannot carry of a request translated from another API (an Anthropic
 * Messages or Gemini client): its top-level fields with no canonical field (`extraFields`,
 * classified as on the other translated providers: hints are listed in `x-llmux-warnings`,
 * anything else is a 400 naming the field, or dropped with a warning under `dropUnsupported`),
 * and `top_k`, which OpenAI's API does not take.
 */
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest } from '../../core/types.ts';
import { classifyExtraFields } from '../openai-extra-fields.ts';
import type { DeploymentTarget } from '../types.ts';

export function translatedFieldWarnings(request: ChatRequest, target: DeploymentTarget): string[] {
  const warnings: string[] = [];
  const rejectOrDrop = (field: string, reason: string): void => {
    if (target.capabilities.dropUnsupported === true) {
      warnings.push(`${field} dropped: ${reason}`);
      return;
    }
    throw new GatewayError(
      'unsupported_parameter',
      `Unsupported parameter: '${field}' is not supported by this model (${reason}).`,
      { param: field },
    );
  };
  for (const { field, kind } of classifyExtraFields(request.extraFields)) {
    if (kind === 'hint') warnings.push(`${field} ignored: OpenAI chat has no equivalent`);
    else rejectOrDrop(field, 'OpenAI chat has no equivalent');
  }
  if (request.topK !== undefined) rejectOrDrop('top_k', 'OpenAI chat has no top_k');
  return warnings;
}
