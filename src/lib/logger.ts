import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { redactSecrets } from './redact.ts';

/** `logging.format`: one JSON object per line (default, for log shippers), or pino-pretty for a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * The process logger. Each line is redacted as a whole just before it is written (registered
 * secrets and key-shaped strings), so an error, its cause chain or an upstream body logged in
 * any field cannot carry a credential to the log. The pretty format formats the redacted line.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  const options = { level, hooks: { streamWrite: (line: string) => redactSecrets(line) } };
  if (format === 'pretty') return pino(options, prettyStream(destination));
  return destination === undefined ? pino(options) : pino(options, destination);
}

function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return pretty({
    destination: destination ?? 1,
    // Synchronous like pino's own stdout: the last lines before an exit are not lost.
    sync: true,
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    // One line per entry: an access line per request stays one line on the terminal.
    singleLine: true,
  });
}
