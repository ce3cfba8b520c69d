import type { GatewayError } from '../core/errors.ts';
import type { ChatRequest, ChatResult, JsonObject, StreamEvent } from '../core/types.ts';
import type { SseEvent } from '../lib/sse-types.ts';
import type { UpstreamRequest } from '../upstream/types.ts';

/** Per-deployment capabilities; defaults come from the adapter, config may override. */
export interface DeploymentCapabilities {
  /** Upstream rejects `max_tokens` and wants `max_completion_tokens` (o-series, GPT-5). */
  maxCompletionTokensOnly?: boolean;
  /** Upstream rejects the `developer` role; send it as `system`. */
  developerRoleUnsupported?: boolean;
  /** Drop request fields the upstream cannot take instead of answering 400. */
  dropUnsupported?: boolean;
  /** Default max output tokens when the client gives none and the upstream needs one. */
  maxOutputTokens?: number;
}

/** Everything an adapter needs to know about where a request goes. */
export interface DeploymentTarget {
  /** Provider name from the config (e.g. "openai", "local"). */
  providerName: string;
  providerType: string;
  /** Base URL without trailing slash, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey?: string;
  /** Upstream model name. */
  model: string;
  capabilities: DeploymentCapabilities;
  /** Extra headers sent on every request to this provider. */
  headers?: Record<string, string>;
  /** Provider-specific fields merged into the upstream body (deployment-level overrides). */
  bodyOverrides?: JsonObject;
}

export interface BuiltRequest {
  request: UpstreamRequest;
  /** Adjustments made (clamped values, dropped fields): returned in `x-llmux-warnings`. */
  warnings: string[];
}

/** Turns decoded SSE events of one upstream stream into canonical events. Stateful, one per stream. */
export interface StreamParser {
  push(event: SseEvent): StreamEvent[];
  /** Called when the upstream body ends; throws a GatewayError when the stream was cut short. */
  end(): StreamEvent[];
}

/** One upstream wire format. Pure: builds requests and parses responses; `upstream/` does HTTP. */
export interface ProviderAdapter {
  readonly type: string;
  /** Base URL used when the provider config gives none. */
  readonly defaultBaseUrl: string;
  /** Speaks OpenAI Chat Completions, so an OpenAI client's body can be passed through (DESIGN §1). */
  readonly speaksOpenAIChat?: boolean;
  /** Most choices one upstream request can return; llmux fans out when a client asks for more. */
  readonly maxChoicesPerRequest?: number;
  /** The upstream model id goes into the URL path (Gemini): a wildcard may match one plain segment only. */
  readonly modelInUrlPath?: boolean;
  /** Capability defaults for an upstream model name. */
  capabilitiesFor(model: string): DeploymentCapabilities;
  buildRequest(request: ChatRequest, target: DeploymentTarget): BuiltRequest;
  parseResponse(body: unknown, target: DeploymentTarget): ChatResult;
  createStreamParser(target: DeploymentTarget): StreamParser;
  /** Maps an upstream error (status, raw body, headers) to a GatewayError keeping status and message. */
  parseError(
    status: number,
    body: string,
    headers: Record<string, string | string[] | undefined>,
    target: DeploymentTarget,
  ): GatewayError;
}
