import type { Logger } from 'pino';

/**
 * The last-resort net: an exception or promise rejection that nothing handled is logged (fatal /
 * error, with its stack) and the process keeps serving, instead of exiting and taking every
 * request in flight and the request-log rows not yet written with it. Every such line is a bug
 * to fix at its cause; the guard only keeps one bug from becoming an outage.
 *
 * Returns a function that removes the guard.
 */
export function installProcessGuard(logger: Logger): () => void {
  const onException = (error: unknown, origin: string): void => {
    report(() => logger.fatal({ err: error, origin }, 'uncaught exception (a bug): llmux keeps serving'));
  };
  const onRejection = (reason: unknown): void => {
    report(() => logger.error({ err: reason }, 'unhandled promise rejection (a bug): llmux keeps serving'));
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

/** A logger that throws here would make Node exit at once: fall back to stderr. */
function report(log: () => void): void {
  try {
    log();
  } catch (error) {
    process.stderr.write(`llmux: an uncaught error could not be logged: ${String(error)}\n`);
  }
}
