import { GatewayError } from '../core/errors.ts';
import type { DeploymentTarget } from '../providers/types.ts';
import { upstreamModelName } from '../routing/catalogue.ts';
import type { Deployment, ResolvedModel } from '../routing/types.ts';
import { unsafeModelIdReason } from '../routing/upstream-model-id.ts';
import type { ProviderRuntime } from './types.ts';

/** Where one attempt goes: the provider's connection settings overlaid with the deployment's. */
export function toDeploymentTarget(
  runtime: ProviderRuntime,
  deployment: Deployment,
  resolved: ResolvedModel,
): DeploymentTarget {
  const model = upstreamModelName(deployment, resolved.wildcardMatch);
  const target: DeploymentTarget = {
    providerName: runtime.name,
    providerType: runtime.type,
    baseUrl: runtime.baseUrl,
    model,
    capabilities: { ...runtime.adapter.capabilitiesFor(model), ...deployment.capabilities },
  };
  if (runtime.apiKey) target.apiKey = runtime.apiKey;
  const headers = { ...runtime.headers, ...deployment.headers };
  if (Object.keys(headers).length > 0) target.headers = headers;
  if (deployment.bodyOverrides)
    target.bodyOverrides = deployment.bodyOverrides as DeploymentTarget['bodyOverrides'] & object;
  return target;
}

/**
 * Refuses (400 naming `model`) a client's model name whose wildcard part is not a safe upstream
 * model id for every deployment that would use it, before any upstream is called.
 */
export function assertSafeWildcardMatch(
  resolved: ResolvedModel,
  requested: string,
  providers: ReadonlyMap<string, ProviderRuntime>,
): void {
  const match = resolved.wildcardMatch;
  if (match === undefined) return;
  for (const deployment of resolved.model.deployments) {
    if (!deployment.model.includes('*')) continue;
    const inUrlPath = providers.get(deployment.providerName)?.adapter.modelInUrlPath === true;
    const reason = unsafeModelIdReason(match, inUrlPath);
    if (reason === undefined) continue;
    const shown = JSON.stringify(requested.length > 80 ? `${requested.slice(0, 80)}…` : requested);
    throw new GatewayError(
      'invalid_request',
      `Invalid value for 'model': ${shown} is not a valid model name: ${reason}.`,
      {
        param: 'model',
        reason: 'invalid_value',
      },
    );
  }
}
