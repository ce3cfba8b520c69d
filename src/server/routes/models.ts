import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import { capText } from '../../lib/cap-text.ts';
import { keyAllowsModel } from '../../policy/key-ring.ts';
import type { ModelCatalogue } from '../../routing/catalogue.ts';
import { anthropicMessagesSurface } from '../../surfaces/anthropic-messages/index.ts';

/**
 * Routes constrained to requests that carry `anthropic-version`: they are served by the same
 * handlers under the Anthropic surface, so auth failures and 404s come in Anthropic's envelope.
 * Requests without the header fall through to the unconstrained routes (OpenAI's envelope).
 */
const ANTHROPIC_CLIENT = 'anthropicClient';
type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteHandler = NonNullable<ReturnType<ReturnType<ConstraintStrategy['storage']>['get']>>;
const anthropicClientStrategy: ConstraintStrategy = {
  name: ANTHROPIC_CLIENT,
  storage() {
    const handlers = new Map<string, RouteHandler>();
    return {
      get: (value) => handlers.get(value as string) ?? null,
      set: (value, handler) => {
        handlers.set(value as string, handler);
      },
    };
  },
  // Undefined: not derived, the unconstrained route answers.
  deriveConstraint: (request) => (request.headers['anthropic-version'] !== undefined ? 'yes' : (undefined as never)),
  mustMatchWhenDerived: false,
};

/** Anthropic's SDKs and Claude Code send `anthropic-version` with every call: they get Anthropic's shapes. */
function fromAnthropicClient(request: FastifyRequest): boolean {
  return request.headers['anthropic-version'] !== undefined;
}

/**
 * `GET /v1/models`: the public models the calling key may use, in OpenAI's list shape (Anthropic's
 * when the client sends `anthropic-version`). Wildcard
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
  const createdAt = new Date(startedAt).toISOString();
  const entry = (id: string, request: FastifyRequest) =>
    fromAnthropicClient(request)
      ? { type: 'model', id, display_name: id, created_at: createdAt }
      : { id, object: 'model', created, owned_by: 'llmux' };
  const list = async (request: FastifyRequest) => {
    const key = request.apiKey;
    const ids = catalogue()
      .list()
      .filter((model) => !model.name.includes('*') && key !== undefined && keyAllowsModel(key, model.name))
      .map((model) => model.name);
    const data = ids.map((id) => entry(id, request));
    if (!fromAnthropicClient(request)) return { object: 'list', data };
    return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null };
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
    return entry(id, request);
  };
  if (!app.hasConstraintStrategy(ANTHROPIC_CLIENT)) app.addConstraintStrategy(anthropicClientStrategy);
  const anthropic = { constraints: { [ANTHROPIC_CLIENT]: 'yes' }, config: { surface: anthropicMessagesSurface } };
  for (const prefix of ['/v1/models', '/models']) {
    app.get(prefix, list);
    app.get(`${prefix}/*`, one);
    app.get(prefix, anthropic, list);
    app.get(`${prefix}/*`, anthropic, one);
  }
}
