import type { Logger } from 'pino';
import type { GatewayError } from '../core/errors.ts';
import { capText } from '../lib/cap-text.ts';
import { isRecord } from '../lib/json.ts';
import { newRequestRecord } from '../policy/request-record.ts';
import type { RequestLogRecord } from '../store/types.ts';

/** What is known about a request turned away before the gateway handled it. Never the presented key. */
export interface Rejection {
  requestId: string;
  clientRequestId: string | null;
  /** Name of the key, once it authenticated. */
  keyName: string | null;
  /** The parsed body, when it was read and parsed (gives the model and stream flag). */
  body: unknown;
  method: string | null;
  /** Path without the query string (which may carry a key, e.g. Gemini's `?key=`). */
  path: string | null;
  ip: string;
  /** The wire format of the route's surface, when the request matched one. */
  surface: string | null;
  startedAt: number;
  latencyMs: number;
  status: number;
  error: GatewayError;
}

/** The request-log row of a rejection (the same record, and settlement, as served requests). */
export function rejectionRecord(rejection: Rejection): RequestLogRecord {
  const body = isRecord(rejection.body) ? rejection.body : undefined;
  const record = newRequestRecord(rejection.requestId, rejection.clientRequestId, rejection.startedAt);
  record.keyName = rejection.keyName;
  record.publicModel = typeof body?.model === 'string' ? capText(body.model) : null;
  record.status = rejection.status;
  record.latencyMs = Math.round(rejection.latencyMs);
  record.stream = body?.stream === true;
  record.errorCode = rejection.error.code;
  record.surface = rejection.surface;
  return record;
}

/**
 * One structured line per rejection. Failed authentication, timeouts and load shedding are
 * warnings (key guessing and floods must leave a trace); bad input is info; our own faults errors.
 */
export function logRejection(logger: Logger, rejection: Rejection): void {
  const { error } = rejection;
  const body = isRecord(rejection.body) ? rejection.body : undefined;
  const fields = {
    requestId: rejection.requestId,
    clientRequestId: rejection.clientRequestId,
    status: rejection.status,
    code: error.code,
    keyName: rejection.keyName,
    model: typeof body?.model === 'string' ? capText(body.model) : undefined,
    method: rejection.method,
    path: rejection.path === null ? null : capText(rejection.path),
    ip: rejection.ip,
    latencyMs: Math.round(rejection.latencyMs),
  };
  if (rejection.status >= 500 && error.code === 'internal_error') {
    logger.error({ ...fields, err: error.cause ?? error }, error.message);
  } else if (WARN_CODES.has(error.code)) {
    logger.warn(fields, `request rejected: ${error.code}`);
  } else {
    logger.info(fields, `request rejected: ${error.code}`);
  }
}

/** Rejections an operator should see: abuse, overload, a client too slow; all of them close the connection. */
const WARN_CODES = new Set<string>([
  'invalid_api_key',
  'request_timeout',
  'payload_too_large',
  'server_busy',
  'too_many_connections',
  'shutting_down',
]);

/** Rejections after which the connection is closed: the rest of the body is not worth reading. */
export const CLOSE_AFTER = new Set<string>([...WARN_CODES, 'client_closed']);

/** The URL's path, without the query string. */
export function pathOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  return url.split('?', 1)[0] ?? url;
}
