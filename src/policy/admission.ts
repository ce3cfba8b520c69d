import type { RequestLogRecord } from '../store/types.ts';
import type { ApiKeyEntry } from './key-store.ts';

/** What is known about a request when it asks to be served, once its model is resolved. */
export interface RequestFacts {
  /** The inbound API's wire format. */
  surface: string;
  publicModel: string;
  stream: boolean;
  /** The client body's size in bytes when it declared one: the input-size estimate limits start from. */
  bodyBytes: number | undefined;
}

/** A request let through: what settlement needs to charge or release. */
export interface Admission {
  readonly key: ApiKeyEntry | undefined;
  readonly facts: RequestFacts;
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

/** Today's policy: every request is admitted; settling writes its request log row. */
export class OpenPolicy implements RequestPolicy {
  constructor(private readonly write: (record: RequestLogRecord) => void) {}

  admit(key: ApiKeyEntry | undefined, facts: RequestFacts): Promise<Admission> {
    return Promise.resolve({ key, facts });
  }

  settle(_admission: Admission | undefined, record: RequestLogRecord): void {
    this.write(record);
  }
}
