import type { RateWindow } from './limits/types.ts';

/** OpenAI's `x-ratelimit-*` headers for the request and token windows a key is under. */
export function rateLimitHeaders(
  requests: RateWindow | undefined,
  tokens: RateWindow | undefined,
): Record<string, string> | undefined {
  if (requests === undefined && tokens === undefined) return undefined;
  const headers: Record<string, string> = {};
  if (requests !== undefined) {
    headers['x-ratelimit-limit-requests'] = String(requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(Math.max(0, requests.remaining));
    headers['x-ratelimit-reset-requests'] = formatDuration(requests.resetMs);
  }
  if (tokens !== undefined) {
    headers['x-ratelimit-limit-tokens'] = String(tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, tokens.remaining));
    headers['x-ratelimit-reset-tokens'] = formatDuration(tokens.resetMs);
  }
  return headers;
}

/** As OpenAI writes them: `120ms`, `1.5s`, `6m0s`. */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60000);
  const seconds = (whole - minutes * 60000) / 1000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  return minutes > 0 ? `${minutes}m${secondsText}` : secondsText;
}
