import type { DeploymentTarget } from '../providers/types.ts';
import { upstreamModelName } from '../routing/catalogue.ts';
import type { Deployment, ResolvedModel } from '../routing/types.ts';
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
