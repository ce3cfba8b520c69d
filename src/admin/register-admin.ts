import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminDeps } from './admin-context.ts';
import { invalidAdminKey, notFound } from './admin-errors.ts';
import { registerKeyRoutes } from './key-routes.ts';
import { registerMeRoute } from './me-route.ts';
import { registerModelRoutes } from './model-routes.ts';
import { registerPlaygroundRoute } from './playground-route.ts';
import { registerRequestDetailRoute } from './request-detail-route.ts';
import { registerStatsRoutes } from './stats-routes.ts';
import { registerTeamRoutes } from './team-routes.ts';
import { registerUsageRoutes } from './usage-routes.ts';

export type { AdminDeps } from './admin-context.ts';

/**
 * The admin API under /admin (Bearer `server.adminKey`). The server's client-key check skips
 * /admin/*; this plugin's own hook checks the admin key, and its errors go through the server's
 * error handler (OpenAI envelope, rejection log and request log row) like any other rejection.
 */
export function registerAdminRoutes(server: FastifyInstance, deps: AdminDeps): void {
  const expected = deps.adminKey === undefined ? undefined : sha256(deps.adminKey);
  server.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      // Without an admin key the admin API does not exist: nothing to find, nothing to guess.
      if (expected === undefined) throw notFound(`Invalid URL (${request.method} ${request.url.split('?')[0]})`);
      const presented = bearerToken(request);
      if (presented === undefined || !timingSafeEqual(sha256(presented), expected)) throw invalidAdminKey();
    });
    registerKeyRoutes(scope, deps);
    registerTeamRoutes(scope, deps);
    registerUsageRoutes(scope, deps);
    registerRequestDetailRoute(scope, deps);
    registerStatsRoutes(scope, deps);
    registerModelRoutes(scope, deps);
    registerPlaygroundRoute(scope, deps);
    registerMeRoute(scope);
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Equal-length digests, so the comparison takes the same time whatever was presented. */
function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
