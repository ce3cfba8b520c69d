import type { PriceBook } from './types.ts';

/** The parts of the loaded config that name deployments (config `LlmuxConfig` fits it). */
export interface DeploymentsView {
  providers: Readonly<Record<string, { type: string }>>;
  models: ReadonlyArray<{ name: string; deployments: ReadonlyArray<{ provider: string; model: string }> }>;
}

/**
 * `provider/model` for every deployment neither the bundled table nor `pricing.models` prices, to
 * log at start. A wildcard deployment's upstream names are only known per request, so unless a
 * `pricing.models` pattern covers it, it is listed as `provider/model (priced per request)`.
 */
export function unpricedDeployments(config: DeploymentsView, book: PriceBook): string[] {
  const found = new Set<string>();
  for (const model of config.models) {
    for (const deployment of model.deployments) {
      const providerType = config.providers[deployment.provider]?.type ?? '';
      const price = book.priceFor({
        publicModel: model.name,
        providerName: deployment.provider,
        providerType,
        upstreamModel: deployment.model,
      });
      const name = `${deployment.provider}/${deployment.model}`;
      if (deployment.model.includes('*')) {
        if (price?.source !== 'config') found.add(`${name} (priced per request)`);
      } else if (!price) {
        found.add(name);
      }
    }
  }
  return [...found];
}
