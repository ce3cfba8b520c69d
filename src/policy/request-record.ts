import type { Usage } from '../core/types.ts';
import type { RequestLogRecord } from '../store/types.ts';

/** A request's record before anything is known about it but its id and start. */
export function newRequestRecord(
  requestId: string,
  clientRequestId: string | null,
  timestamp: number,
): RequestLogRecord {
  return {
    timestamp,
    requestId,
    clientRequestId,
    keyName: null,
    keyId: null,
    team: null,
    publicModel: null,
    provider: null,
    upstreamModel: null,
    status: 200,
    latencyMs: 0,
    ttftMs: null,
    stream: false,
    attempts: 0,
    inputTokens: null,
    outputTokens: null,
    cachedInputTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    costMicros: null,
    surface: null,
    errorCode: null,
    fallbackModels: null,
  };
}

/** Copies the canonical usage into the record's token columns (or clears them). */
export function recordUsage(record: RequestLogRecord, usage: Usage | undefined): void {
  record.inputTokens = usage?.inputTokens ?? null;
  record.outputTokens = usage?.outputTokens ?? null;
  record.cachedInputTokens = usage?.cachedInputTokens ?? null;
  record.cacheWriteTokens = usage?.cacheWriteTokens ?? null;
  record.reasoningTokens = usage?.reasoningTokens ?? null;
  record.usageEstimated = usage?.estimated ?? false;
}
