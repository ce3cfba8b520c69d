import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** `server.cors`: the browser origins allowed to call llmux (exact origins, or `"*"`). */
export interface CorsOptions {
  origins: readonly string[];
}

/** Request headers browser clients of the OpenAI, Anthropic and Gemini SDKs send. */
const ALLOWED_HEADERS: readonly string[] = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-goog-api-key',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'openai-organization',
  'openai-project',
  'x-request-id',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
  'x-stainless-helper-method',
  'x-stainless-async',
];
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Response headers a browser script may read. */
const EXPOSED_HEADERS = 'x-request-id, x-client-request-id, x-llmux-warnings, x-llmux-fallback, retry-after';
const PREFLIGHT_MAX_AGE_S = '600';

/** Answers CORS: whether an origin is allowed, the preflight, the headers on actual responses. */
export class Cors {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(options: CorsOptions) {
    this.any = options.origins.includes('*');
    this.origins = new Set(options.origins);
  }

  /** The `Origin` of a request when it is allowed, else undefined. */
  allowedOrigin(headers: IncomingHttpHeaders): string | undefined {
    const origin = headers.origin;
    if (typeof origin !== 'string' || origin === '') return undefined;
    return this.any || this.origins.has(origin) ? origin : undefined;
  }

  /**
   * Sets the allow-origin headers on the raw response: Node merges them into whatever writes the
   * head later (Fastify's replies, the gateway's hijacked ones, error answers alike).
   */
  decorate(res: ServerResponse, origin: string): void {
    res.setHeader('access-control-allow-origin', this.any ? '*' : origin);
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    if (!this.any) res.setHeader('vary', 'origin');
  }

  /** The preflight answer's headers (a disallowed origin gets none, and the browser refuses). */
  preflightHeaders(origin: string | undefined, requested: string | string[] | undefined): Record<string, string> {
    if (origin === undefined) return {};
    const headers: Record<string, string> = {
      'access-control-allow-origin': this.any ? '*' : origin,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': allowedHeaders(requested),
      'access-control-max-age': PREFLIGHT_MAX_AGE_S,
    };
    if (!this.any) headers.vary = 'origin';
    return headers;
  }
}

/** A CORS preflight: OPTIONS with `Access-Control-Request-Method`. */
export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
}

/** The fixed list, plus any other `x-stainless-*` header the browser asks for (the SDKs add new ones). */
function allowedHeaders(requested: string | string[] | undefined): string {
  const asked = (Array.isArray(requested) ? requested.join(',') : (requested ?? ''))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.startsWith('x-stainless-') && !ALLOWED_HEADERS.includes(name));
  return [...ALLOWED_HEADERS, ...new Set(asked)].join(', ');
}
