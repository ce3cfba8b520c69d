import type { Usage } from '../core/types.ts';
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

/** What happened to one client request; feeds the request log and metrics. */
export interface RequestOutcome {
  requestId: string;
  startedAt: number;
  keyName: string | null;
  publicModel: string | null;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  stream: boolean;
  attempts: number;
  usage: Usage | undefined;
  errorCode: string | null;
  fallbackModels: string[];
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
    'x-llmux-provider': servedBy.provider,
    'x-llmux-model': servedBy.model,
    'x-llmux-attempts': String(servedBy.attempts),
  };
  if (servedBy.fallbackModels.length > 0) headers['x-llmux-fallback'] = servedBy.fallbackModels.join(', ');
  if (servedBy.warnings.length > 0) headers['x-llmux-warnings'] = servedBy.warnings.join('; ').replace(/[\r\n]/g, ' ');
  return headers;
}
