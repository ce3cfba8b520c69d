/**
 * What a client may put in the part of a model name a wildcard matches (`gem/*` → `*`). That part
 * becomes the upstream model id: in the JSON body (OpenAI-compatible, Anthropic), in the URL path
 * (Gemini: `/v1beta/models/{id}:generateContent`, sent with the operator's key) and in the
 * `x-llmux-model` response header. Names from the config are the operator's and are not checked.
 */

/** Longer ids are refused: real ones are far shorter, and the id is echoed in a response header. */
export const MAX_UPSTREAM_MODEL_ID_LENGTH = 256;

/** Printable ASCII without space: what a header value and a model id can safely hold. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
/** One URL path segment that needs no encoding (RFC 3986 unreserved characters). */
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * Why `match` is not a safe upstream model id, or undefined when it is. `inUrlPath`: the provider
 * puts the id in its URL, so it must be one plain path segment (no `/`, `?`, `#`, `:` or `%`).
 */
export function unsafeModelIdReason(match: string, inUrlPath: boolean): string | undefined {
  if (match.length > MAX_UPSTREAM_MODEL_ID_LENGTH) {
    return `the model id is longer than ${MAX_UPSTREAM_MODEL_ID_LENGTH} characters`;
  }
  if (!PRINTABLE_ASCII.test(match)) {
    return 'the model id may hold only printable ASCII characters (no spaces, control characters or non-ASCII)';
  }
  if (match.split('/').some((segment) => segment === '.' || segment === '..')) {
    return "the model id may not contain '.' or '..' path segments";
  }
  if (inUrlPath && !PATH_SEGMENT.test(match)) {
    return "this provider takes a single model id segment: letters, digits, '.', '_', '-' and '~' only";
  }
  return undefined;
}
