import type { RequestLogRecord } from '../store/types.ts';
import type { ApiKeyEntry } from './key-store.ts';
import type { LimitTicket } from './limits/types.ts';
import type { PricedTarget } from './pricing/types.ts';

/** What is known about a request when it asks to be served, once its model is resolved. */
export interface RequestFacts {
  requestId: string;
  /** The inbound API's wire format. */
  surface: string;
  publicModel: string;
  stream: boolean;
  /** The client body's size in bytes when it declared one. */
  bodyBytes: number | undefined;
  /** Output tokens asked for at most, all choices together; undefined when the request sets no limit. */
  maxOutputTokens: number | undefined;
  /** Completions asked for (`n`). */
  choices: number;
  /** The prompt's tokens (estimated; computed on demand: only limits and budgets need it). */
  inputTokens(): number;
  /** Every deployment the request may reach (the model and its fallbacks), for worst-case prices. */
  targets(): PricedTarget[];
}

/** A request let through: what settlement needs to charge or release. */
export interface Admission {
  readonly key: ApiKeyEntry | undefined;
  readonly facts: RequestFacts;
  /** The limits taken (undefined for a key without limits or budget). */
  readonly ticket: LimitTicket | undefined;
  /** Headers every response to the request carries (`x-ratelimit-*` for a limited key). */
  readonly headers: Readonly<Record<string, string>> | undefined;
}

/**
 * The policy seam of the request path (DESIGN §1): `admit` before any upstream call (limits,
 * budgets, reservations), `settle` once the request is over, where its record is written.
 */
export interface RequestPolicy {
  /** Lets the request through, or throws a GatewayError (e.g. 429 `rate_limit_exceeded`) the surface renders. */
  admit(key: ApiKeyEntry | undefined, facts: RequestFacts): Promise<Admission>;
  /**
   * Called once per request however it ended, with its final record; `admission` is undefined for
   * a request refused before or at admission. Synchronous and never throws: it is off the hot path.
   */
  settle(admission: Admission | undefined, record: RequestLogRecord): void;
}

/** Every request is admitted; settling writes its request log row (tests, and the tenancy policy's base). */
export class OpenPolicy implements RequestPolicy {
  constructor(private readonly write: (record: RequestLogRecord) => void) {}

  admit(key: ApiKeyEntry | undefined, facts: RequestFacts): Promise<Admission> {
    return Promise.resolve({ key, facts, ticket: undefined, headers: undefined });
  }

  settle(_admission: Admission | undefined, record: RequestLogRecord): void {
    this.write(record);
  }
}
