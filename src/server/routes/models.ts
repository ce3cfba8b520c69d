import type { FastifyInstance } from 'fastify';
import { keyAllowsModel } from '../../policy/key-ring.ts';
import type { ApiKeyEntry } from '../../policy/key-store.ts';
import type { ModelCatalogue } from '../../routing/catalogue.ts';

/** `GET /v1/models`: the public models the calling key may use, in OpenAI's list shape. */
export function registerModelRoutes(app: FastifyInstance, catalogue: ModelCatalogue, startedAt: number): void {
  const created = Math.floor(startedAt / 1000);
  const handler = async (request: { apiKey?: ApiKeyEntry }) => {
    const key = request.apiKey;
    const data = catalogue
      .list()
      .filter((model) => key !== undefined && keyAllowsModel(key, model.name))
      .map((model) => ({ id: model.name, object: 'model', created, owned_by: 'llmux' }));
    return { object: 'list', data };
  };
  app.get('/v1/models', handler);
  app.get('/models', handler);
}
