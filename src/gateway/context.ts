import type { ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.ts';
import { capText } from '../lib/cap-text.ts';
import type { RequestTracing } from '../observability/tracing/request-tracing.ts';
import type { RequestPolicy } from '../policy/admission.ts';
import type { ApiKeyEntry } from '../policy/key-store.ts';
import { newRequestRecord } from '../policy/request-record.ts';
import type { ModelCatalogue } from '../routing/catalogue.ts';
import type { Router } from '../routing/router.ts';
import type { RequestLogRecord } from '../store/types.ts';
import type { Surface, SurfaceRequest } from '../surfaces/types.ts';
import { ClientResponse } from './client-response.ts';
import { OutputTally } from './output-tally.ts';
import { isShutdownAbort, type ShutdownCutoff, shuttingDownError } from './shutdown-cutoff.ts';
import type { ProviderRuntime } from './types.ts';

/** What the gateway serves requests with; one per process. */
export interface Gateway {
  catalogue: ModelCatalogue;
  providers: ReadonlyMap<string, ProviderRuntime>;
  /** Plans attempts (strategy, cooldowns) and learns from their outcomes. */
  router: Router;
  /** Admits requests before any upstream call and settles (records) them when they are over. */
  policy: RequestPolicy;
  /** Cuts running requests at the end of the shutdown grace period. */
  shutdown?: ShutdownCutoff;
  /** Counts the request in flight until it is settled (graceful shutdown waits for it). */
  trackRequest?(): () => void;
  /** Largest `n` accepted (`server.maxChoices`); unset = OpenAI's 128. */
  maxChoices?: number;
  /** Models the config disabled (no provider with a key), name → why: answered 503 with the reason, not 404. */
  disabledModels?: ReadonlyMap<string, string>;
  onServerError(error: GatewayError, requestId: string): void;
  /** Counts the tokens of texts (usage estimates); unset = about 4 characters per token. */
  countTokens?(texts: readonly string[]): number;
  /** Called with the final record of every request the gateway served or refused (the access log). */
  onSettled?(record: RequestLogRecord): void;
  /** Set when tracing is on: trace context per request and attempt (`traceparent` upstream). */
  tracing?: RequestTracing | undefined;
}

/** A request as the route hands it to the gateway: parsed and authenticated. */
export interface IncomingRequest {
  /** llmux's own id. */
  requestId: string;
  /** The caller's well-formed `x-request-id`, if any. */
  clientRequestId: string | null;
  key: ApiKeyEntry | undefined;
  /** The body's declared size, when it had one. */
  bodyBytes: number | undefined;
  request: SurfaceRequest;
  /** The caller's W3C trace context headers (read only when tracing is on). */
  traceparent?: string | string[] | undefined;
  tracestate?: string | string[] | undefined;
}

/** One client request on its way through the gateway: every stage reads and fills in this one object. */
export class RequestContext {
  readonly requestId: string;
  readonly key: ApiKeyEntry | undefined;
  readonly bodyBytes: number | undefined;
  readonly request: SurfaceRequest;
  readonly client: ClientResponse;
  /** Aborted when the client leaves or at the shutdown cutoff. */
  readonly controller = new AbortController();
  /** The request's record: filled in as it goes, settled when the response is done. */
  readonly record: RequestLogRecord;
  /** `performance.now()` at the start, for latency and time to first byte. */
  readonly startedAt = performance.now();
  /** Upstream attempts so far, all models together. */
  attempts = 0;
  /** Public models tried so far, in order (`x-llmux-fallback`). */
  readonly triedModels: string[] = [];
  /** What the response carried, for usage the upstream never reported. */
  readonly output = new OutputTally();
  /** The prompt's estimated tokens, once counted. */
  inputTokenEstimate: number | undefined;

  constructor(
    readonly gateway: Gateway,
    readonly surface: Surface,
    incoming: IncomingRequest,
    res: ServerResponse,
  ) {
    this.requestId = incoming.requestId;
    this.key = incoming.key;
    this.bodyBytes = incoming.bodyBytes;
    this.request = incoming.request;
    const idHeaders: Record<string, string> = { 'x-request-id': incoming.requestId };
    if (incoming.clientRequestId !== null) idHeaders['x-client-request-id'] = incoming.clientRequestId;
    this.client = new ClientResponse(res, idHeaders);
    res.once('close', () => {
      if (!res.writableFinished) this.controller.abort();
    });
    const record = newRequestRecord(incoming.requestId, incoming.clientRequestId, Date.now());
    record.keyName = incoming.key?.name ?? null;
    record.keyId = incoming.key?.id ?? null;
    record.team = incoming.key?.team?.name ?? null;
    // The name asked for until the catalogue resolves it (a model not found keeps it, capped).
    record.publicModel = capText(incoming.request.model);
    record.stream = incoming.request.stream;
    record.surface = surface.wireFormat;
    const tracing = gateway.tracing;
    if (tracing !== undefined) {
      record.trace = tracing.begin(incoming.traceparent, incoming.tracestate);
      if (record.trace.sampled) {
        const { wireBody, maxOutputTokens } = incoming.request;
        record.requestParams = tracing.requestParams(surface.wireFormat, wireBody, maxOutputTokens);
      }
    }
    this.record = record;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the request was cut by the shutdown, not by its client. */
  cutByShutdown(): boolean {
    return isShutdownAbort(this.controller.signal);
  }

  /** Aborted because the client disconnected (not because the shutdown grace period ended). */
  clientLeft(): boolean {
    return this.controller.signal.aborted && !this.cutByShutdown();
  }

  throwIfAborted(): void {
    if (!this.controller.signal.aborted) return;
    throw this.cutByShutdown() ? shuttingDownError() : new GatewayError('client_closed', 'client closed the request');
  }

  /** Renders a stream error event in the client's format. */
  readonly renderStreamError = (error: GatewayError): string => this.request.renderStreamError(error);
}
