import { GatewayError } from '../core/errors.ts';
import type { EmbeddingRequest } from '../core/types.ts';
import { classifyExtraFields } from './openai-extra-fields.ts';
import type { DeploymentTarget } from './types.ts';

/**
 * The client's fields a translated embeddings request cannot carry (`extraFields`), as chat treats
 * them: a hint (`store`, …) is left out and listed; anything else is a 400 naming it, or, under
 * `capabilities.dropUnsupported`, dropped and listed. Returns the warnings.
 */
export function embeddingFieldWarnings(request: EmbeddingRequest, target: DeploymentTarget, api: string): string[] {
  const warnings: string[] = [];
  for (const { field, kind } of classifyExtraFields(request.extraFields)) {
    if (kind === 'hint') warnings.push(`${field} ignored (no ${api} equivalent)`);
    else if (target.capabilities.dropUnsupported === true) warnings.push(`${field} dropped: has no ${api} equivalent`);
    else {
      throw new GatewayError(
        'unsupported_parameter',
        `Unsupported parameter: '${field}' has no ${api} equivalent (provider '${target.providerName}'). Remove it, or set capabilities.dropUnsupported on the deployment to drop it.`,
        { param: field },
      );
    }
  }
  return warnings;
}
