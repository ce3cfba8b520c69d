/** The CLI's side of the admin API: one HTTP call per command, through fetch (not the hot path). */

export const DEFAULT_URL = 'http://127.0.0.1:4000';

export interface AdminConnection {
  url: string;
  adminKey: string;
}

/** The admin API answered an error, or could not be reached. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export async function adminRequest(
  connection: AdminConnection,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${connection.adminKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${connection.url.replace(/\/+$/, '')}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    throw new AdminApiError(`cannot reach llmux at ${connection.url} (${reason}); set --url or LLMUX_URL`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok) return json;
  throw new AdminApiError(
    `${response.status}: ${errorMessage(json) ?? text.slice(0, 200)}${hint(response.status)}`,
    response.status,
  );
}

function errorMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('error' in json)) return undefined;
  const error = json.error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
  return typeof error.message === 'string' ? error.message : undefined;
}

function hint(status: number): string {
  if (status === 401) return ' (check --admin-key or LLMUX_ADMIN_KEY)';
  if (status === 404) return ' (is server.adminKey set on this llmux?)';
  return '';
}
