import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway } from '../../gateway/context.ts';
import { serve } from '../../gateway/serve.ts';
import type { Surface } from '../../surfaces/types.ts';
import { declaredLength } from '../body-reader.ts';
import { invalidJson } from '../errors.ts';
import { clientRequestIdOf } from '../request-id.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API a route speaks: its key header and error envelope (the server's hooks and error handler use them). */
    surface?: Surface;
  }
}

/**
 * `POST` routes of one surface. Bad input is rejected before the reply is hijacked (the error
 * handler renders it in the surface's envelope); after that the gateway writes to the socket itself.
 */
export function registerSurfaceRoute(
  app: FastifyInstance,
  /** The gateway new requests are served with (a config reload replaces it). */
  currentGateway: () => Gateway,
  surface: Surface,
  paths: readonly string[],
): void {
  for (const path of paths) {
    app.post(path, { config: { surface } }, (request, reply) =>
      serveSurfaceRequest(request, reply, currentGateway(), surface),
    );
  }
}

/** Parses one request of `surface` and serves it through the gateway (for routes that dispatch themselves). */
export async function serveSurfaceRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  gateway: Gateway,
  surface: Surface,
): Promise<void> {
  // The content parser leaves parsed JSON, or nothing when no body was sent.
  if (request.body === undefined || request.body === null) throw invalidJson();
  const parsed = surface.parse(request.body, {
    requestId: request.id,
    maxChoices: gateway.maxChoices,
    params: request.params as Record<string, string>,
    query: request.query as Record<string, string | string[] | undefined>,
    headers: request.headers,
  });
  reply.hijack();
  const incoming = {
    requestId: request.id,
    clientRequestId: clientRequestIdOf(request.headers),
    key: request.apiKey,
    bodyBytes: declaredLength(request.headers),
    request: parsed,
    traceparent: request.headers.traceparent,
    tracestate: request.headers.tracestate,
  };
  await serve(gateway, surface, incoming, reply.raw);
}
