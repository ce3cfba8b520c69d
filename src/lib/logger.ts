import pino, { type DestinationStream, type Logger } from 'pino';
import { redactSecrets } from './redact.ts';

/**
 * The process logger. Each line is redacted as a whole just before it is written (registered
 * secrets and key-shaped strings), so an error, its cause chain or an upstream body logged in
 * any field cannot carry a credential to the log.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, hooks: { streamWrite: (line: string) => redactSecrets(line) } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
