/**
 * Rejects when `operation` has not settled within `ms`. node-redis's own per-command `timeout`
 * only covers the wait before the command is written: once it is on the wire, a server that stops
 * answering (a stall, a half-open TCP connection) leaves the promise pending until the socket
 * dies. The command itself is not cancelled; only the caller stops waiting.
 */
export function withDeadline<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([operation, deadline]).finally(() => clearTimeout(timer));
}
