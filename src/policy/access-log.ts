import type { Logger } from 'pino';
import type { RequestLogRecord } from '../store/types.ts';

/** The access log: one info line per settled request (served or turned away), from its record. */
export function logAccess(logger: Logger, record: RequestLogRecord): void {
  if (!logger.isLevelEnabled('info')) return;
  logger.info(
    {
      requestId: record.requestId,
      keyName: record.keyName,
      model: record.publicModel,
      provider: record.provider,
      status: record.status,
      latencyMs: record.latencyMs,
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      errorCode: record.errorCode ?? undefined,
    },
    'request',
  );
}
