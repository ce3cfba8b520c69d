import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyEntry } from '../policy/key-store.ts';
import type { AdminDeps } from './admin-context.ts';
import { notFound } from './admin-errors.ts';

/** Serves a chat-completions request through the gateway as the given key (the server supplies it). */
export type PlaygroundServer = (request: FastifyRequest, reply: FastifyReply, key: ApiKeyEntry) => Promise<void>;

/**
 * Who the console playground's requests are: every model, no limits, logged as key `admin` (id
 * `admin`, never a configured or managed key's id, which are `static:…` and `key_…`).
 */
export const PLAYGROUND_KEY: ApiKeyEntry = Object.freeze({
  id: 'admin',
  name: 'admin',
  models: ['*'],
  team: undefined,
  limits: {},
  expiresAt: undefined,
  managed: false,
});

export const PLAYGROUND_PATH = '/admin/playground/chat/completions';

/** `POST /admin/playground/chat/completions`: the OpenAI chat-completions API for the console, behind the admin key. */
export function registerPlaygroundRoute(scope: FastifyInstance, deps: AdminDeps): void {
  scope.post(PLAYGROUND_PATH, async (request, reply) => {
    if (deps.playground === undefined) throw notFound(`Invalid URL (POST ${PLAYGROUND_PATH})`);
    await deps.playground(request, reply, PLAYGROUND_KEY);
  });
}
