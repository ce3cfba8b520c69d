import { StartupError } from '../lib/startup-error.ts';

interface ListenTarget {
  host: string;
  port: number;
}

/**
 * A start-up failure as one sentence naming the setting to change, or undefined when it is not one
 * of the expected ones (then the stack trace is worth showing).
 */
export function describeStartupError(error: unknown, listen: ListenTarget): string | undefined {
  if (error instanceof StartupError) return error.message;
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  const where = `cannot listen on ${listen.host}:${listen.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${where}: the port is already in use by another process (change server.port or --port)`;
    case 'EADDRNOTAVAIL':
      return `${where}: no network interface of this machine has that address (change server.host or --host; 0.0.0.0 listens on all)`;
    case 'EACCES':
      return `${where}: permission denied (ports below 1024 need privileges; change server.port or --port)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: the host name does not resolve (change server.host or --host)`;
    default:
      return undefined;
  }
}
