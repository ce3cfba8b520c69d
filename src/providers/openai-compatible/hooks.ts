import type { Usage } from '../../core/types.ts';
import type { DeploymentTarget } from '../types.ts';
import type { UpstreamUsage } from './wire-types.ts';

/** Rewrites the upstream body llmux built (translated or passthrough) just before it is encoded. */
export type TransformRequestBody = (body: Record<string, unknown>, target: DeploymentTarget) => Record<string, unknown>;

/** An upstream's `usage` object → canonical usage (servers that count differently, or add fields). */
export type ConvertUsage = (raw: UpstreamUsage) => Usage;

/** What an OpenAI-compatible variant may change in how bodies and usage are handled. */
export interface OpenAIBodyHooks {
  transformRequestBody?: TransformRequestBody;
  convertUsage?: ConvertUsage;
}

/** Where an OpenAI-compatible variant sends chat requests and how it presents its key (Azure). */
export interface OpenAIEndpointHooks {
  /** The chat completions URL; default `{baseUrl}/chat/completions` (a query in the base URL kept). */
  chatCompletionsUrl?: (target: DeploymentTarget) => string;
  /** The headers carrying the key; default `authorization: Bearer {key}`. */
  authHeaders?: (apiKey: string) => Record<string, string>;
}
