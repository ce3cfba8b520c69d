import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import { type ChatHandlerDeps, handleChat } from '../../gateway/chat-handler.ts';
import { ClientResponse } from '../../gateway/client-response.ts';
import { isShutdownAbort } from '../../gateway/shutdown-cutoff.ts';
import type { SurfaceRenderer } from '../../gateway/translated.ts';
import type { RequestOutcome } from '../../gateway/types.ts';
import { capText } from '../../lib/cap-text.ts';
import { type ApiKeyEntry, keyAllowsModel } from '../../policy/key-ring.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import { renderOpenAIError, toOpenAIErrorBody } from '../../surfaces/openai-chat/render-error.ts';
import { toOpenAIChatCompletion } from '../../surfaces/openai-chat/render-response.ts';
import { OpenAIChunkRenderer, renderStreamError } from '../../surfaces/openai-chat/render-stream.ts';
import { validateChatRequest } from '../../surfaces/openai-chat/validate-request.ts';
import { invalidJson } from '../errors.ts';
import { clientRequestIdOf } from '../request-id.ts';

export interface ChatRouteDeps extends ChatHandlerDeps {
  record(outcome: RequestOutcome): void;
  /** Largest `n` accepted (`server.maxChoices`); unset = OpenAI's 128. */
  maxChoices?: number;
  /** Counts the request in flight until it is recorded (graceful shutdown waits for it). */
  trackRequest?(): () => void;
  onServerError(error: GatewayError, requestId: string): void;
}

/**
 * `POST /v1/chat/completions`. Bad input is rejected before the reply is hijacked (Fastify's error
 * handler renders it); after that the gateway writes to the socket itself.
 */
export function registerChatRoutes(app: FastifyInstance, deps: ChatRouteDeps): void {
  for (const path of ['/v1/chat/completions', '/chat/completions']) {
    app.post(path, async (request, reply) => {
      const body = validateChatRequest(parseJsonBody(request.body), { maxChoices: deps.maxChoices });
      reply.hijack();
      const ids = { requestId: request.id, clientRequestId: clientRequestIdOf(request.headers) };
      await serveChat(deps, ids, request.apiKey, body, reply.raw);
    });
  }
}

async function serveChat(
  deps: ChatRouteDeps,
  ids: RequestIds,
  key: ApiKeyEntry | undefined,
  body: OpenAIChatRequest,
  res: ServerResponse,
): Promise<void> {
  const { requestId, clientRequestId } = ids;
  const started = performance.now();
  const untrack = deps.trackRequest?.();
  const outcome = newOutcome(ids, key, body);
  const idHeaders: Record<string, string> = { 'x-request-id': requestId };
  if (clientRequestId !== null) idHeaders['x-client-request-id'] = clientRequestId;
  const client = new ClientResponse(res, idHeaders);
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const surface = openAIChatRenderer(requestId, body.model, body.stream_options?.include_usage === true);
  try {
    const modelAllowed = (name: string) => key !== undefined && keyAllowsModel(key, name);
    await handleChat(deps, { requestId, controller: abort, outcome, modelAllowed }, body, client, surface);
  } catch (error) {
    const failure =
      error instanceof GatewayError
        ? error
        : new GatewayError('internal_error', 'The server had an error while processing your request.', {
            cause: error,
          });
    outcome.errorCode = failure.code;
    if (clientLeft(abort.signal) || failure.code === 'client_closed') {
      client.end();
    } else if (!client.started) {
      const rendered = renderOpenAIError(failure, requestId);
      outcome.status = rendered.status;
      client.send(rendered.status, rendered.headers, rendered.body);
    } else {
      client.end(surface.renderStreamError(failure));
    }
    if (failure.status >= 500 && failure.code !== 'client_closed') deps.onServerError(failure, requestId);
  } finally {
    if (clientLeft(abort.signal)) {
      outcome.status = 499;
      outcome.errorCode ??= 'client_closed';
    }
    outcome.latencyMs = Math.round(performance.now() - started);
    outcome.ttftMs = client.firstByteAt === undefined ? null : Math.round(client.firstByteAt - started);
    try {
      deps.record(outcome);
    } finally {
      untrack?.();
    }
  }
}

/** Aborted because the client disconnected (not because the shutdown grace period ended). */
function clientLeft(signal: AbortSignal): boolean {
  return signal.aborted && !isShutdownAbort(signal);
}

interface RequestIds {
  /** llmux's own id. */
  requestId: string;
  /** The caller's well-formed `x-request-id`, if any. */
  clientRequestId: string | null;
}

function newOutcome(ids: RequestIds, key: ApiKeyEntry | undefined, body: OpenAIChatRequest): RequestOutcome {
  return {
    requestId: ids.requestId,
    clientRequestId: ids.clientRequestId,
    startedAt: Date.now(),
    keyName: key?.name ?? null,
    // The name asked for until the catalogue resolves it (a model not found keeps it, capped).
    publicModel: capText(body.model),
    provider: null,
    upstreamModel: null,
    status: 200,
    latencyMs: 0,
    ttftMs: null,
    stream: body.stream === true,
    attempts: 0,
    usage: undefined,
    errorCode: null,
    fallbackModels: [],
  };
}

/** The body as the content parser left it: parsed JSON, or nothing when none was sent. */
export function parseJsonBody(parsed: unknown): unknown {
  if (parsed === undefined || parsed === null) throw invalidJson();
  return parsed;
}

function openAIChatRenderer(requestId: string, model: string, includeUsage: boolean): SurfaceRenderer {
  return {
    renderResult: (result) => JSON.stringify(toOpenAIChatCompletion(result)),
    createStreamRenderer: () =>
      new OpenAIChunkRenderer(includeUsage, {
        id: `chatcmpl-${requestId}`,
        model,
        created: Math.floor(Date.now() / 1000),
      }),
    renderStreamError: (error) => {
      const body = toOpenAIErrorBody(error, requestId).error;
      return renderStreamError({
        code: body.code ?? error.code,
        message: body.message,
        status: error.status,
        type: body.type,
        param: body.param,
      });
    },
  };
}
