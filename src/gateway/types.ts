import type { ProviderAdapter } from '../providers/types.ts';
import type { Transport } from '../upstream/types.ts';

/** A configured provider, ready to take requests. */
export interface ProviderRuntime {
  name: string;
  type: string;
  adapter: ProviderAdapter;
  transport: Transport;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** Response headers that say which deployment served a request. */
export interface ServedBy {
  provider: string;
  model: string;
  attempts: number;
  fallbackModels: string[];
  warnings: string[];
}

export function servedByHeaders(servedBy: ServedBy): Record<string, string> {
  const headers: Record<string, string> = {
    'x-llmux-provider': headerSafe(servedBy.provider),
    'x-llmux-model': headerSafe(servedBy.model),
    'x-llmux-attempts': String(servedBy.attempts),
  };
  if (servedBy.fallbackModels.length > 0) headers['x-llmux-fallback'] = headerSafe(servedBy.fallbackModels.join(', '));
  if (servedBy.warnings.length > 0) headers['x-llmux-warnings'] = headerSafe(servedBy.warnings.join('; '));
  return headers;
}

/**
 * Warnings can quote client values (e.g. a `service_tier`): writeHead throws on CR/LF and on
 * characters outside Latin-1, after the upstream answered. Keep printable ASCII only.
 */
function headerSafe(value: string): string {
  return UNSAFE_IN_HEADER.test(value) ? value.replace(/[\r\n\t]/g, ' ').replace(/[^\x20-\x7e]/g, '?') : value;
}

const UNSAFE_IN_HEADER = /[^\x20-\x7e]/;
