import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { GatewayError } from '../../core/errors.ts';
import type { Gateway } from '../../gateway/context.ts';
import { readAll } from '../../gateway/read-body.ts';
import type { ApiKeyEntry } from '../../policy/key-store.ts';
import { ResponseSaveQueue } from '../../store/response-save-queue.ts';
import type { RequestLogRecord, ResponseStore, StoredResponseRecord } from '../../store/types.ts';
import { openAIResponsesSurface, type ResponsesRequestView } from '../../surfaces/openai-responses/index.ts';
import {
  conversationItems,
  inputItemsPage,
  parseInputItemsQuery,
  previousResponseNotFound,
  responseNotFound,
  storedTurnText,
} from '../../surfaces/openai-responses/response-store.ts';
import type { Surface } from '../../surfaces/types.ts';
import { invalidApiKey } from '../errors.ts';
import { serveSurfaceRequest } from './surface-route.ts';

/** Stored responses: where they are kept and for how long (`responses:` in the config). */
export interface StoredResponses {
  store: ResponseStore;
  /** 0 = kept until deleted. */
  retentionDays: number;
  /** A response whose Response object and input items take more than this (JSON) is not stored. */
  maxStoredBytes: number;
  logger: Logger;
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Turns replayed at most for one `previous_response_id` (one recursive query reads them). */
const MAX_CONVERSATION_TURNS = 10_000;
/** Bytes of a passed-through answer looked at for its `resp_…` id (the first `"id"` of the body or of `response.created`). */
const SNIFF_BYTES = 16 * 1024;
const RESPONSE_ID = /"id"\s*:\s*"(resp_[^"\\]{1,200})"/;
const FORWARD_TIMEOUTS = { connectMs: 5000, firstByteMs: 30_000, idleMs: 30_000, totalMs: 60_000 };
/** Longest a read waits for this process's write of the same response (a follow-up sent the moment the answer came). */
const WRITE_WAIT_MS = 5000;

/**
 * The responses of this process still being written, by id: the write comes after the answer, so a
 * client may ask for the response (follow up on it) before it is in the store; such a read waits.
 */
class PendingWrites {
  private readonly pending = new Map<string, Promise<void>>();

  /** Marks `id` as being written; call the returned function once the write is over (or skipped). */
  begin(id: string): () => void {
    let finish = (): void => undefined;
    const written = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.pending.set(id, written);
    return () => {
      if (this.pending.get(id) === written) this.pending.delete(id);
      finish();
    };
  }

  /** Resolves once `id` is written (at once when it is not being written; after WRITE_WAIT_MS at most). */
  async settled(id: string): Promise<void> {
    const written = this.pending.get(id);
    if (written === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WRITE_WAIT_MS);
    });
    await Promise.race([written, waited]);
    clearTimeout(timer);
  }
}

/**
 * The Responses API: `POST /v1/responses` through the gateway, continued from a stored
 * conversation when it names a `previous_response_id` llmux kept, and kept afterwards (`store`,
 * true unless false) — written once the answer is out, never failing it; `GET|DELETE
 * /v1/responses/{id}` and `GET /v1/responses/{id}/input_items` for the key's stored responses
 * (forwarded to the provider that keeps one it served by passthrough). Another key's response
 * does not exist for a key: 404, or `previous_response_not_found`.
 */
export function registerResponsesRoutes(
  app: FastifyInstance,
  currentGateway: () => Gateway,
  stored: StoredResponses | undefined,
): void {
  const config = { surface: openAIResponsesSurface };
  const writes = new PendingWrites();
  const saves = stored && new ResponseSaveQueue(stored.store);
  // Saves queued by the last answers are written before the store closes.
  app.addHook('onClose', async () => saves?.drain());
  const ownedResponse = async (id: string, key: ApiKeyEntry | undefined) => {
    await writes.settled(id);
    return owned(stored, id, key);
  };
  for (const path of ['/v1/responses', '/responses']) {
    app.post(path, { config }, (request, reply) =>
      createResponse(request, reply, currentGateway(), stored && saves && { ...stored, saves }, writes),
    );
  }
  app.get('/v1/responses/:id', { config }, async (request: IdRequest, reply) => {
    const record = await ownedResponse(request.params.id, request.apiKey);
    if (record.provider !== null) return forward(currentGateway(), record, 'GET', '', request, reply);
    return sendJson(reply, record.response ?? '{}');
  });
  app.delete('/v1/responses/:id', { config }, async (request: IdRequest, reply) => {
    const record = await ownedResponse(request.params.id, request.apiKey);
    const { store } = stored as StoredResponses;
    if (record.provider === null) {
      await store.delete(record.id, record.keyId);
      return { id: record.id, object: 'response', deleted: true };
    }
    try {
      const forwarded = await forward(currentGateway(), record, 'DELETE', '', request, reply);
      await store.delete(record.id, record.keyId);
      return forwarded;
    } catch (error) {
      // The provider no longer has it either: llmux forgets it too.
      if (error instanceof GatewayError && error.status === 404) await store.delete(record.id, record.keyId);
      throw error;
    }
  });
  app.get('/v1/responses/:id/input_items', { config }, async (request: IdRequest, reply) => {
    const query = parseInputItemsQuery(request.query as Record<string, unknown>);
    const record = await ownedResponse(request.params.id, request.apiKey);
    if (record.provider !== null) return forward(currentGateway(), record, 'GET', '/input_items', request, reply);
    const chain = await (stored as StoredResponses).store.chain(record.id, MAX_CONVERSATION_TURNS);
    const turns = chain.filter((turn) => turn.keyId === record.keyId);
    const items = conversationItems(turns);
    // The turn's own output is not an input item: drop what the last turn answered.
    const output = conversationItems([{ response: record.response, inputItems: null }]).length;
    return inputItemsPage(items.slice(0, items.length - output), query);
  });
}

/** Where a new response is kept: the store, through the batched saves. */
type Keeping = StoredResponses & { saves: ResponseSaveQueue };

async function createResponse(
  request: FastifyRequest,
  reply: FastifyReply,
  gateway: Gateway,
  stored: Keeping | undefined,
  writes: PendingWrites,
): Promise<void> {
  if (request.body === undefined || request.body === null)
    return serveSurfaceRequest(request, reply, gateway, openAIResponsesSurface);
  const view = openAIResponsesSurface.parse(request.body, {
    requestId: request.id,
    maxChoices: gateway.maxChoices,
    headers: request.headers,
  }) as ResponsesRequestView;
  const keyId = request.apiKey?.id;
  const previousId = view.wireBody.previous_response_id;
  if (typeof previousId === 'string') await writes.settled(previousId);
  const continued = stored && keyId !== undefined ? await continueConversation(view, stored.store, keyId) : undefined;
  const surface: Surface = { ...openAIResponsesSurface, parse: () => view };
  let settled: RequestLogRecord | undefined;
  const onSettled: Gateway['onSettled'] = (record) => {
    settled = record;
    gateway.onSettled?.(record);
  };
  const keeping = stored !== undefined && keyId !== undefined && view.wireBody.store !== false;
  // Only a response that will be kept needs its id read from the bytes (Codex sends store: false).
  const sniffed = keeping ? sniffResponseId(reply.raw) : () => undefined;
  // From before the answer leaves until its write is over, a read of this response waits for it.
  const written = writes.begin(view.responseId);
  try {
    await serveSurfaceRequest(request, reply, { ...gateway, onSettled }, surface);
  } catch (error) {
    written();
    throw error;
  }
  if (!keeping || settled === undefined) {
    written();
    return;
  }
  // The answer is out: the write happens after it, and its failure is only logged.
  keep(stored, view, settled, keyId, continued, sniffed)
    .catch((error: unknown) =>
      stored.logger.error({ err: error, requestId: request.id }, 'stored response: write failed'),
    )
    .finally(written);
}

interface Continued {
  previousId: string;
  /** The conversation's responses (their expiry moves with the new turn). */
  ids: string[];
}

/**
 * Resolves `previous_response_id`: llmux's own conversation is replayed before the input; an id
 * a provider keeps (or one llmux never saw) is left for a passthrough upstream, and refused by
 * translation; another key's, an expired one, or a conversation with a turn deleted: not found.
 */
async function continueConversation(
  view: ResponsesRequestView,
  store: ResponseStore,
  keyId: string,
): Promise<Continued | undefined> {
  const id = view.wireBody.previous_response_id;
  if (typeof id !== 'string' || id === '') return undefined;
  const chain = await store.chain(id, MAX_CONVERSATION_TURNS);
  const now = Date.now();
  const last = chain.at(-1);
  if (last === undefined) {
    view.translationRefused(previousResponseNotFound(id));
    return undefined;
  }
  if (last.keyId !== keyId || last.expiresAt <= now) throw previousResponseNotFound(id);
  if (last.provider !== null) {
    view.translationRefused(
      previousResponseNotFound(id, ` It is kept by provider '${last.provider}': continue it on a model served there.`),
    );
    return undefined;
  }
  const broken =
    (chain[0] as StoredResponseRecord).previousResponseId !== null ||
    chain.some((turn) => turn.keyId !== keyId || turn.expiresAt <= now || turn.provider !== null);
  if (broken)
    throw previousResponseNotFound(id, ' An earlier response of its conversation was deleted or has expired.');
  view.continueFrom(conversationItems(chain));
  return { previousId: id, ids: chain.map((turn) => turn.id) };
}

async function keep(
  stored: Keeping,
  view: ResponsesRequestView,
  settled: RequestLogRecord,
  keyId: string,
  continued: Continued | undefined,
  sniffed: () => string | undefined,
): Promise<void> {
  if (settled.status !== 200 || settled.errorCode !== null) return;
  const createdAt = Date.now();
  const expiresAt = stored.retentionDays > 0 ? createdAt + stored.retentionDays * DAY_MS : Number.MAX_SAFE_INTEGER;
  const turn = view.storedTurn();
  if (turn === undefined) {
    // Passed through: the provider keeps it; llmux remembers where, and for which key.
    const id = settled.provider === null ? undefined : sniffed();
    if (id === undefined) return;
    const record = { id, keyId, previousResponseId: null, provider: settled.provider, createdAt, expiresAt };
    await stored.saves.save({ record: { ...record, response: null, inputItems: null } });
    return;
  }
  const text = storedTurnText(turn);
  const bytes = Buffer.byteLength(text.response ?? '') + Buffer.byteLength(text.inputItems ?? '');
  if (bytes > stored.maxStoredBytes) {
    stored.logger.warn(
      { responseId: view.responseId, bytes, maxStoredBytes: stored.maxStoredBytes },
      'stored response: over responses.maxStoredMb, not stored (a follow-up on it is answered previous_response_not_found)',
    );
    return;
  }
  await stored.saves.save({
    record: {
      id: view.responseId,
      keyId,
      previousResponseId: continued?.previousId ?? null,
      provider: null,
      createdAt,
      expiresAt,
      ...text,
    },
    extendIds: continued?.ids,
  });
}

/** The key's stored response by id, not expired; else OpenAI's 404. */
async function owned(
  stored: StoredResponses | undefined,
  id: string,
  key: ApiKeyEntry | undefined,
): Promise<StoredResponseRecord> {
  if (key === undefined) throw invalidApiKey();
  const record = stored === undefined ? undefined : await stored.store.get(id);
  if (record === undefined || record.keyId !== key.id || record.expiresAt <= Date.now()) throw responseNotFound(id);
  return record;
}

/**
 * GET/DELETE on a response the provider keeps (OpenAI's API, with llmux's key for that provider).
 * An upstream error is the provider's, mapped and redacted like any upstream error (a 404 stays a 404).
 */
async function forward(
  gateway: Gateway,
  record: StoredResponseRecord,
  method: 'GET' | 'DELETE',
  subpath: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const runtime = record.provider === null ? undefined : gateway.providers.get(record.provider);
  if (runtime === undefined) throw responseNotFound(record.id);
  const query = request.url.indexOf('?');
  const url = `${runtime.baseUrl}/responses/${encodeURIComponent(record.id)}${subpath}${query < 0 ? '' : request.url.slice(query)}`;
  const headers: Record<string, string> = { ...runtime.headers };
  if (runtime.apiKey) headers.authorization = `Bearer ${runtime.apiKey}`;
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  const upstream = await runtime.transport.send(
    { method, url, headers },
    { signal: controller.signal, timeouts: FORWARD_TIMEOUTS },
  );
  if (upstream.status >= 400) {
    const target = {
      providerName: runtime.name,
      providerType: runtime.type,
      baseUrl: runtime.baseUrl,
      model: '',
      capabilities: {},
    };
    throw runtime.adapter.parseError(upstream.status, await upstream.text(), upstream.headers, target);
  }
  return sendJson(reply, (await readAll(upstream)).toString('utf8'));
}

function sendJson(reply: FastifyReply, body: string): FastifyReply {
  return reply.header('content-type', 'application/json').send(body);
}

/**
 * Keeps the first bytes written to the client, to read a passed-through answer's `resp_…` id
 * (non-streaming: the body's first `"id"`; streaming: `response.created`'s response id).
 */
function sniffResponseId(res: ServerResponse): () => string | undefined {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const keepBytes = (chunk: unknown) => {
    if (size >= SNIFF_BYTES || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) return;
    // The client's bytes are not written to again: kept by reference, not copied.
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.length;
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keepBytes(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keepBytes(chunk);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return () => RESPONSE_ID.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
}
