import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayError } from '../core/errors.ts';
import { GatewayError as GatewayErrorClass } from '../core/errors.ts';
import type { ApiKeyEntry, KeyRing } from '../policy/key-ring.ts';
import type { ModelCatalogue } from '../routing/catalogue.ts';
import { renderOpenAIError } from '../surfaces/openai-chat/render-error.ts';
import { presentedKey } from './credentials.ts';
import { toGatewayError } from './errors.ts';
import { requestIdFor } from './request-id.ts';
import { type ChatRouteDeps, registerChatRoutes } from './routes/chat.ts';
import { registerModelRoutes } from './routes/models.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKeyEntry;
  }
}

export interface ServerDeps extends Omit<ChatRouteDeps, 'onServerError'> {
  logger: Logger;
  keys: KeyRing;
  catalogue: ModelCatalogue;
  bodyLimitBytes: number;
  /** True once graceful shutdown started: new requests get 503 `shutting_down` in the OpenAI envelope. */
  isShuttingDown?: () => boolean;
}

const PUBLIC_PATHS = new Set(['/health', '/healthz']);

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    genReqId: requestIdFor,
    requestIdHeader: false,
    // Fastify's own 503 while closing is not in the OpenAI envelope; the hook below answers instead.
    return503OnClosing: false,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (deps.isShuttingDown?.() === true) {
      reply.header('connection', 'close');
      throw new GatewayErrorClass(
        'shutting_down',
        'llmux is shutting down and takes no new requests; retry on another instance.',
      );
    }
    if (PUBLIC_PATHS.has(request.url.split('?', 1)[0] ?? request.url)) return;
    const key = deps.keys.authenticate(presentedKey(request.headers));
    if (!key) {
      throw new GatewayErrorClass(
        'invalid_api_key',
        'Incorrect API key provided. Send your llmux key as `Authorization: Bearer <key>`.',
        {
          wireCode: 'invalid_api_key',
        },
      );
    }
    request.apiKey = key;
  });

  app.setErrorHandler((error, request, reply) => {
    const failure = toGatewayError(error, deps.bodyLimitBytes);
    if (failure.status >= 500) logServerError(deps.logger, failure, request.id);
    const rendered = renderOpenAIError(failure, request.id);
    reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });

  app.setNotFoundHandler((request, reply) => {
    const failure = new GatewayErrorClass('not_found', `Invalid URL (${request.method} ${request.url.split('?')[0]})`, {
      wireCode: null,
    });
    const rendered = renderOpenAIError(failure, request.id);
    reply.code(404).headers(rendered.headers).send(rendered.body);
  });

  app.get('/health', async () => ({ status: 'ok' }));
  registerModelRoutes(app, deps.catalogue, Date.now());
  registerChatRoutes(app, {
    ...deps,
    onServerError: (error, requestId) => logServerError(deps.logger, error, requestId),
  });
  return app;
}

function logServerError(logger: Logger, error: GatewayError, requestId: string): void {
  logger.error(
    { requestId, code: error.code, status: error.status, provider: error.provider, err: error.cause ?? error },
    error.message,
  );
}
