import type { Logger } from 'pino';
import type { RequestLogRecord } from '../store/types.ts';

/**
 * The access log: one info line per request the gateway settled, from its record (a request turned
 * away at the front door has its own line, server/rejections.ts). Names and figures only: never a
 * key, a prompt or a completion. Null fields are left out.
 */
export function logAccess(logger: Logger, record: RequestLogRecord): void {
  if (!logger.isLevelEnabled('info')) return;
  const attempts = record.attemptLog;
  logger.info(
    {
      requestId: record.requestId,
      clientRequestId: record.clientRequestId ?? undefined,
      keyName: record.keyName ?? undefined,
      team: record.team ?? undefined,
      surface: record.surface ?? undefined,
      model: record.publicModel ?? undefined,
      provider: record.provider ?? undefined,
      deployment: attempts?.[attempts.length - 1]?.deployment,
      upstreamModel: record.upstreamModel ?? undefined,
      stream: record.stream,
      status: record.status,
      latencyMs: record.latencyMs,
      ttftMs: record.ttftMs ?? undefined,
      inputTokens: record.inputTokens ?? undefined,
      outputTokens: record.outputTokens ?? undefined,
      cachedInputTokens: record.cachedInputTokens ?? undefined,
      reasoningTokens: record.reasoningTokens ?? undefined,
      usageEstimated: record.usageEstimated || undefined,
      costUsd: record.costMicros === null ? undefined : record.costMicros / 1e6,
      attempts: record.attempts,
      fallback: record.fallbackModels !== null,
      fallbackModels: record.fallbackModels ?? undefined,
      errorCode: record.errorCode ?? undefined,
      limit: record.refusedByLimit,
    },
    'request',
  );
}
