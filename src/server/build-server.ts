import type { Socket } from 'node:net';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { GatewayError } from '../core/errors.ts';
import type { Gateway } from '../gateway/context.ts';
import type { RequestTracing } from '../observability/tracing/request-tracing.ts';
import { logAccess } from '../policy/access-log.ts';
import type { ApiKeyEntry, KeyStore } from '../policy/key-store.ts';
import type { Limiter } from '../policy/limits/types.ts';
import type { RequestLogRecord } from '../store/types.ts';
import { anthropicMessagesSurface } from '../surfaces/anthropic-messages/index.ts';
import { openAIEmbeddingsSurface } from '../surfaces/openai-chat/embeddings/index.ts';
import { openAIChatSurface } from '../surfaces/openai-chat/index.ts';
import type { RequestQuery, Surface } from '../surfaces/types.ts';
import { createJsonBodyParser, declaredLength } from './body-reader.ts';
import { addressOf, ConnectionGuard } from './connection-guard.ts';
import { Cors, type CorsOptions, isPreflight } from './cors.ts';
import {
  headersTimeout,
  invalidApiKey,
  payloadTooLarge,
  serverBusy,
  toGatewayError,
  tooManyUnauthenticated,
} from './errors.ts';
import { ConnectionTracker } from './graceful-close.ts';
import { BodyReservation, InflightBodyBudget } from './inflight-body-budget.ts';
import { answerAndClose } from './raw-response.ts';
import { CLOSE_AFTER, logRejection, pathOf, type Rejection, rejectionRecord } from './rejections.ts';
import { clientRequestIdOf, newRequestId } from './request-id.ts';
import { registerAnthropicCountTokensRoute } from './routes/anthropic-count-tokens.ts';
import { registerGeminiRoutes } from './routes/gemini-routes.ts';
import { type FrontDoorCounters, registerHealthRoutes } from './routes/health.ts';
import { registerKeyInfoRoute } from './routes/key-info.ts';
import { METRICS_PATH, type MetricsEndpoint, registerMetricsRoute } from './routes/metrics.ts';
import { registerModelRoutes } from './routes/models.ts';
import { decoratePlayground } from './routes/playground.ts';
import { registerResponsesRoutes, type StoredResponses } from './routes/responses-routes.ts';
import { registerSurfaceRoute } from './routes/surface-route.ts';
import { isUiPath, registerUiRoutes } from './routes/ui-static.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Which connections have a response in progress (graceful close, client-error handling). */
    connectionTracker: ConnectionTracker;
  }
  interface FastifyRequest {
    apiKey?: ApiKeyEntry;
    /** This request's share of the in-flight body budget, given back when its response ends. */
    bodyReservation?: BodyReservation;
  }
}

/** What the front door admits: time to send a request, connections, body bytes in memory. 0 = no limit. */
export interface FrontDoorLimits {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxConnections: number;
  maxUnauthenticatedPerIp: number;
  maxInflightBodyBytes: number;
}

/**
 * `keys` and the Gateway's pieces may be getters that a config reload swaps (app.ts): they are read
 * when needed, never kept past the request that read them.
 */
export interface ServerDeps extends Omit<Gateway, 'onServerError' | 'onSettled'> {
  logger: Logger;
  keys: KeyStore;
  bodyLimitBytes: number;
  /** From `server:` in the config. */
  limits: FrontDoorLimits;
  /** True once graceful shutdown started: new requests get 503 `shutting_down` in the OpenAI envelope. */
  isShuttingDown?: () => boolean;
  /** Surfaces served besides SURFACE_ROUTES (tests). */
  surfaces?: readonly SurfaceRoute[];
  /** Resolves when the store answers a cheap query (`/health/ready`). */
  pingStore?: () => Promise<void>;
  /** Budgets with their spend in `GET /v1/key`; unset = budgets shown without spend. */
  limiter?: Pick<Limiter, 'budgetStatus'> | undefined;
  /** `server.cors`; unset = no CORS headers, OPTIONS goes through auth like any request. */
  cors?: CorsOptions;
  /** Where the console's build is (tests); unset = the package's `dist/ui`. */
  uiRoot?: string;
  /** Where Responses API responses are kept (`store`, `previous_response_id`); unset = none are. */
  storedResponses?: StoredResponses;
  /** `GET /metrics` and the counters every settled request updates; unset = no metrics (`metrics.enabled: false`). */
  metrics?: MetricsEndpoint;
  /** Trace context per request, and its spans exported when it settles; unset = tracing off. */
  tracing?: (RequestTracing & { record(record: RequestLogRecord): void }) | undefined;
}

/** One inbound API and the paths it is served on. */
export interface SurfaceRoute {
  surface: Surface;
  paths: readonly string[];
}

/** The APIs llmux serves: a new surface is a folder under `surfaces/` and a line here. */
const SURFACE_ROUTES: readonly SurfaceRoute[] = [
  { surface: openAIChatSurface, paths: ['/v1/chat/completions', '/chat/completions'] },
  { surface: openAIEmbeddingsSurface, paths: ['/v1/embeddings', '/embeddings'] },
  { surface: anthropicMessagesSurface, paths: ['/v1/messages'] },
];

const PUBLIC_PATHS = new Set(['/health', '/healthz', '/health/ready']);
/** The surface whose envelope answers what no route's surface covers (unknown paths, bare sockets). */
const DEFAULT_SURFACE: Surface = openAIChatSurface;
/** Node's own request timeout, a backstop for bodies no parser reads: this long past the two limits. */
const NODE_TIMEOUT_MARGIN_MS = 5000;

export function buildServer(deps: ServerDeps): FastifyInstance {
  const { limits } = deps;
  const budget = new InflightBodyBudget(limits.maxInflightBodyBytes);
  const cors = deps.cors === undefined ? undefined : new Cors(deps.cors);
  const counters: FrontDoorCounters = { failedAuthentications: 0 };
  const record = (rejection: Rejection) => {
    if (rejection.error.code === 'invalid_api_key') counters.failedAuthentications++;
    logRejection(deps.logger, rejection);
    const settled = rejectionRecord(rejection);
    deps.policy.settle(undefined, settled);
    deps.metrics?.metrics.observe(settled);
  };
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    genReqId: () => newRequestId(),
    requestIdHeader: false,
    // Fastify's own 503 while closing is not in the OpenAI envelope; the hook below answers instead.
    return503OnClosing: false,
    // Node checks its header/request timeouts this often (default 30 s, far coarser than the limits).
    http: { connectionsCheckingInterval: checkingInterval(limits) },
    clientErrorHandler: (error, socket) => onClientError(error, socket),
  });
  app.server.headersTimeout = limits.headersTimeoutMs;
  app.server.requestTimeout =
    limits.bodyTimeoutMs > 0 ? limits.headersTimeoutMs + limits.bodyTimeoutMs + NODE_TIMEOUT_MARGIN_MS : 0;
  app.decorate('connectionTracker', new ConnectionTracker(app.server));
  const connections = new ConnectionGuard(app.server, {
    maxConnections: limits.maxConnections,
    maxUnauthenticatedPerIp: limits.maxUnauthenticatedPerIp,
    onOverIpCap: (socket, ip) => rejectSocket(socket, ip, tooManyUnauthenticated()),
    onDropped: (count) =>
      deps.logger.warn(
        { dropped: count, maxConnections: limits.maxConnections },
        'connections dropped at server.maxConnections',
      ),
  });

  /** Node's errors outside a request (header timeout, malformed HTTP): no Fastify request exists. */
  function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (connections.isRejected(socket) || app.connectionTracker.hasOpenResponse(socket)) {
      socket.destroy();
      return;
    }
    const failure =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? headersTimeout()
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? new GatewayError('invalid_request', 'Request headers are too large.', { status: 431 })
          : new GatewayError('invalid_request', 'Malformed HTTP request.');
    // A connection that never sent a byte (a client's spare) is closed without a trace.
    if (socket.bytesRead === 0) {
      const requestId = newRequestId();
      answerAndClose(socket, DEFAULT_SURFACE.renderError(failure, requestId), requestId);
      return;
    }
    rejectSocket(socket, addressOf(socket), failure);
  }

  function rejectSocket(socket: Socket, ip: string, failure: GatewayError): void {
    const requestId = newRequestId();
    answerAndClose(socket, DEFAULT_SURFACE.renderError(failure, requestId), requestId);
    record({
      requestId,
      clientRequestId: null,
      keyName: null,
      body: undefined,
      method: null,
      path: null,
      ip,
      surface: null,
      startedAt: Date.now(),
      latencyMs: 0,
      status: failure.status,
      error: failure,
    });
  }

  function reject(request: FastifyRequest, reply: FastifyReply, failure: GatewayError): void {
    const rendered = surfaceOf(request).renderError(failure, request.id);
    if (CLOSE_AFTER.has(failure.code)) reply.header('connection', 'close');
    reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
    const latencyMs = reply.elapsedTime;
    record({
      requestId: request.id,
      clientRequestId: clientRequestIdOf(request.headers),
      keyName: request.apiKey?.name ?? null,
      body: request.body,
      method: request.method,
      path: pathOf(request.url),
      ip: addressOf(request.raw.socket),
      surface: request.routeOptions.config.surface?.wireFormat ?? null,
      startedAt: Date.now() - latencyMs,
      latencyMs,
      status: rendered.status,
      error: failure,
    });
  }

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    createJsonBodyParser({ limitBytes: deps.bodyLimitBytes, timeoutMs: limits.bodyTimeoutMs }),
  );

  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    if (connections.isRejected(socket)) {
      // Already answered at accept; the socket is closing.
      reply.hijack();
      socket.destroy();
      return reply;
    }
    if (cors !== undefined) {
      const origin = cors.allowedOrigin(request.headers);
      // Answered before auth: a browser never sends credentials with its preflight.
      if (isPreflight(request.method, request.headers)) {
        const requested = request.headers['access-control-request-headers'];
        reply.code(204).headers(cors.preflightHeaders(origin, requested)).send();
        return reply;
      }
      if (origin !== undefined) cors.decorate(reply.raw, origin);
    }
    reply.header('x-request-id', request.id);
    const clientRequestId = clientRequestIdOf(request.headers);
    if (clientRequestId !== null) reply.header('x-client-request-id', clientRequestId);
    if (deps.isShuttingDown?.() === true) {
      throw new GatewayError(
        'shutting_down',
        'llmux is shutting down and takes no new requests; retry on another instance.',
      );
    }
    const path = pathOf(request.url) ?? '';
    // /admin/* checks server.adminKey in its own hook (src/admin/register-admin.ts), /metrics its key in its route.
    // /ui is the console's static files (the app asks for the admin key itself).
    if (PUBLIC_PATHS.has(path) || path === '/admin' || path.startsWith('/admin/') || isUiPath(path)) return;
    if (path === METRICS_PATH && deps.metrics !== undefined) return;
    const presented = surfaceOf(request).presentedKey(request.headers, request.query as RequestQuery);
    const key = await deps.keys.authenticate(presented);
    if (!key) throw invalidApiKey();
    request.apiKey = key;
    connections.authenticated(socket);
    const declared = declaredLength(request.headers);
    if (declared !== undefined && declared > deps.bodyLimitBytes) throw payloadTooLarge(deps.bodyLimitBytes);
    const reservation = new BodyReservation(budget);
    request.bodyReservation = reservation;
    reply.raw.once('close', () => reservation.releaseAll());
    if (declared !== undefined && !reservation.tryGrow(declared)) throw serverBusy();
  });

  app.setErrorHandler((error, request, reply) => reject(request, reply, toGatewayError(error, deps.bodyLimitBytes)));

  app.setNotFoundHandler((request, reply) =>
    reject(request, reply, new GatewayError('not_found', `Invalid URL (${request.method} ${pathOf(request.url)})`)),
  );

  registerHealthRoutes(app, deps, counters);
  registerModelRoutes(app, () => deps.catalogue, Date.now());
  registerKeyInfoRoute(app, () => deps.limiter);
  registerUiRoutes(app, deps.uiRoot);
  if (deps.metrics !== undefined) registerMetricsRoute(app, deps.metrics);
  const onServerError: Gateway['onServerError'] = (error, requestId) => logServerError(deps.logger, error, requestId);
  // A snapshot per request: it finishes on the config it started with, whatever a reload swaps meanwhile.
  // The access line of a request the gateway handled; a rejection's line is logRejection's.
  const onSettled: Gateway['onSettled'] = (record) => {
    logAccess(deps.logger, record);
    deps.metrics?.metrics.observe(record);
    deps.tracing?.record(record);
  };
  const currentGateway = (): Gateway => ({ ...deps, onServerError, onSettled });
  registerGeminiRoutes(app, currentGateway);
  registerAnthropicCountTokensRoute(app, currentGateway);
  decoratePlayground(app, currentGateway);
  // The Responses API's routes (POST /v1/responses included): it keeps responses.
  registerResponsesRoutes(app, currentGateway, deps.storedResponses);
  for (const { surface, paths } of [...SURFACE_ROUTES, ...(deps.surfaces ?? [])]) {
    registerSurfaceRoute(app, currentGateway, surface, paths);
  }
  return app;
}

/** The surface of the route a request matched, or the default one. */
function surfaceOf(request: FastifyRequest): Surface {
  return request.routeOptions.config.surface ?? DEFAULT_SURFACE;
}

/** Often enough for the shortest timeout to fire within a quarter of its length; at most once a second. */
function checkingInterval(limits: FrontDoorLimits): number {
  const shortest = Math.min(...[limits.headersTimeoutMs, limits.bodyTimeoutMs].filter((ms) => ms > 0), 4000);
  return Math.max(50, Math.floor(shortest / 4));
}

function logServerError(logger: Logger, error: GatewayError, requestId: string): void {
  logger.error(
    { requestId, code: error.code, status: error.status, provider: error.provider, err: error.cause ?? error },
    error.message,
  );
}
