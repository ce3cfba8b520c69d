import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway } from '../../gateway/context.ts';
import type { ApiKeyEntry } from '../../policy/key-store.ts';
import { openAIChatSurface } from '../../surfaces/openai-chat/index.ts';
import { serveSurfaceRequest } from './surface-route.ts';

/** Serves an OpenAI chat-completions request as `key`, through the same gateway as `/v1/chat/completions`. */
export type PlaygroundServer = (request: FastifyRequest, reply: FastifyReply, key: ApiKeyEntry) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The console playground's way into the gateway (the admin API registers the route, with its own auth). */
    servePlayground: PlaygroundServer;
  }
}

/**
 * Gives the admin API (which may not import the gateway) a way to serve chat completions: same
 * parsing, lifecycle, request log and observers as `/v1/chat/completions`, as the key it is given.
 */
export function decoratePlayground(app: FastifyInstance, currentGateway: () => Gateway): void {
  const serve: PlaygroundServer = (request, reply, key) => {
    request.apiKey = key;
    return serveSurfaceRequest(request, reply, currentGateway(), openAIChatSurface);
  };
  app.decorate('servePlayground', serve);
}
