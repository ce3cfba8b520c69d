/**
 * undici's connector with a precise connect timeout. undici's own connect timer ticks at about
 * 0.5-1 s resolution, so a 150 ms limit fires after ~1 s; this one uses a native timer and fails
 * the connection the same way undici does (destroying the socket with a ConnectTimeoutError).
 */
import type { Socket } from 'node:net';
import { buildConnector, errors } from 'undici';

type ReturningConnector = (options: buildConnector.Options, callback: buildConnector.Callback) => Socket | undefined;

export function createPreciseConnector(timeoutMs: number): buildConnector.connector {
  // undici's timer stays as a backstop; ours fires first.
  const base = buildConnector({ timeout: timeoutMs }) as unknown as ReturningConnector;
  if (timeoutMs <= 0) return base;
  return (options, callback) => {
    let timer: NodeJS.Timeout | undefined;
    const socket = base(options, (...args) => {
      if (timer !== undefined) clearTimeout(timer);
      callback(...args);
    });
    // undici returns the socket it is connecting; if a future version stops doing so, its own
    // (coarser) timer still applies.
    if (socket === undefined || typeof socket.destroy !== 'function') return;
    timer = setTimeout(() => {
      const port = options.port === '' ? (options.protocol === 'https:' ? '443' : '80') : options.port;
      socket.destroy(
        new errors.ConnectTimeoutError(
          `Connect Timeout Error (attempted address: ${options.hostname}:${port}, timeout: ${timeoutMs}ms)`,
        ),
      );
    }, timeoutMs);
    timer.unref();
  };
}
