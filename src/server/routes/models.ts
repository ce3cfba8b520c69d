import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import { capText } from '../../lib/cap-text.ts';
import { keyAllowsModel } from '../../policy/key-ring.ts';
import type { ApiKeyEntry } from '../../policy/key-store.ts';
import type { ModelCatalogue } from '../../routing/catalogue.ts';

/**
 * `GET /v1/models`: the public models the calling key may use, in OpenAI's list shape. Wildcard
 * patterns (`local/*`) are not model ids and are not listed. `GET /v1/models/{id}`: one of them,
 * or 404 `model_not_found` (a name a wildcard model serves counts as known).
 */
export function registerModelRoutes(
  app: FastifyInstance,
  /** The catalogue now (a config reload replaces it). */
  catalogue: () => ModelCatalogue,
  startedAt: number,
): void {
  const created = Math.floor(startedAt / 1000);
  const entry = (id: string) => ({ id, object: 'model', created, owned_by: 'llmux' });
  const list = async (request: { apiKey?: ApiKeyEntry }) => {
    const key = request.apiKey;
    const data = catalogue()
      .list()
      .filter((model) => !model.name.includes('*') && key !== undefined && keyAllowsModel(key, model.name))
      .map((model) => entry(model.name));
    return { object: 'list', data };
  };
  const one = async (request: FastifyRequest<{ Params: { '*': string } }>) => {
    const id = request.params['*'];
    const key = request.apiKey;
    if (id === '' || key === undefined || !keyAllowsModel(key, id) || catalogue().resolve(id) === undefined) {
      throw new GatewayError(
        'model_not_found',
        `The model \`${capText(id)}\` does not exist or you do not have access to it.`,
        {
          param: 'model',
        },
      );
    }
    return entry(id);
  };
  for (const prefix of ['/v1/models', '/models']) {
    app.get(prefix, list);
    app.get(`${prefix}/*`, one);
  }
}
