import { GatewayError } from '../core/errors.ts';
import type { DeploymentTarget } from './types.ts';

export interface RejectedCredentials {
  /** The upstream's HTTP status (401, 403, or Gemini's 400). */
  status: number;
  /** The upstream's own message, already redacted: for the operator's log, never the client. */
  message: string;
  upstreamType?: string | undefined;
  upstreamCode?: string | undefined;
}

/**
 * The upstream refused llmux's own credentials for `target`'s provider: a 502 `upstream_auth_failed`
 * naming the provider. The client's message says nothing the upstream wrote (it may quote part of
 * the key); the upstream's words go to the log through `cause`.
 */
export function upstreamAuthFailed(target: DeploymentTarget, rejected: RejectedCredentials): GatewayError {
  const { status, message, upstreamType, upstreamCode } = rejected;
  return new GatewayError(
    'upstream_auth_failed',
    `Provider "${target.providerName}" rejected the credentials llmux uses for it (upstream HTTP ${status}); ` +
      "the llmux operator must fix that provider's apiKey.",
    {
      provider: target.providerName,
      upstreamStatus: status,
      upstreamType,
      upstreamCode,
      cause: new Error(`upstream HTTP ${status}${upstreamType ? ` ${upstreamType}` : ''}: ${message}`),
    },
  );
}
