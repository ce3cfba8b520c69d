import type { UpstreamRequest } from '../upstream/types.ts';

/** The upstream request carrying the attempt's trace context (`traceparent`), when tracing is on. */
export function withTraceHeaders(
  request: UpstreamRequest,
  attempt: { traceHeaders?: Record<string, string> | undefined },
): UpstreamRequest {
  const trace = attempt.traceHeaders;
  return trace === undefined ? request : { ...request, headers: { ...request.headers, ...trace } };
}
