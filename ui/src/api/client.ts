import { forgetAdminKey, storedAdminKey } from './auth.ts';

/** An error answer of the admin API (OpenAI's error envelope), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when the server refuses the stored key (it was rotated in the config, or the server restarted with another). */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function authHeaders(key = storedAdminKey()): Record<string, string> {
  return key === null ? {} : { authorization: `Bearer ${key}` };
}

export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string; param?: string | null } };
    if (body.error?.message) return new ApiError(response.status, body.error.message, body.error.param ?? null);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(response.status, text.trim() || `${response.status} ${response.statusText}`);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in checks a key that is not stored yet. */
  key?: string;
}

/** Calls the admin API with the stored admin key; throws ApiError on a non-2xx answer. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...authHeaders(options.key ?? storedAdminKey()),
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach llmux. Is the server running?');
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && options.key === undefined) {
      forgetAdminKey();
      for (const listener of signedOutListeners) listener();
    }
    throw error;
  }
  return (await response.json()) as T;
}

/** `?a=1&b=2` from the defined entries (empty string when none). */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
