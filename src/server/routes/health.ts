import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ModelCatalogue } from '../../routing/catalogue.ts';
import type { Router } from '../../routing/router.ts';

/** What the front door counts (read by `/health/ready`; kept for metrics). */
export interface FrontDoorCounters {
  /** Requests refused with 401 `invalid_api_key` since start. */
  failedAuthentications: number;
}

/** Read at each request: a config reload replaces the catalogue and the router. */
export interface HealthDeps {
  readonly logger: Logger;
  readonly catalogue: ModelCatalogue;
  readonly router: Router;
  /** Resolves when the request log's database answers a cheap query. */
  readonly pingStore?: () => Promise<void>;
}

/** A store that does not answer within this long counts as unreachable. */
const PING_TIMEOUT_MS = 2000;

/**
 * `GET /health`: liveness (the process answers). `GET /health/ready`: 200 when the store answers
 * and at least one deployment takes traffic, else 503 with what is wrong. Neither needs a key.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps, counters: FrontDoorCounters): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const problems: string[] = [];
    const store = await pingWithin(deps.pingStore, PING_TIMEOUT_MS).then(
      () => 'ok',
      (error: unknown) => {
        deps.logger.warn({ err: error }, 'readiness: the request log store does not answer');
        problems.push('the request log store does not answer');
        return 'unreachable';
      },
    );
    const ids = deps.catalogue.list().flatMap((model) => model.deployments.map((deployment) => deployment.id));
    const usable = await deps.router.usableCount(ids);
    if (ids.length === 0) problems.push('no deployment is configured');
    else if (usable === 0) problems.push('every deployment is cooling down after failures');
    reply.code(problems.length === 0 ? 200 : 503);
    return {
      status: problems.length === 0 ? 'ready' : 'not_ready',
      problems,
      store,
      deployments: { usable, total: ids.length },
      failedAuthentications: counters.failedAuthentications,
    };
  });
}

async function pingWithin(ping: (() => Promise<void>) | undefined, timeoutMs: number): Promise<void> {
  if (ping === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
