import type { GatewayError } from '../../core/errors.ts';
import { redactOptional, redactSecrets } from '../../lib/redact.ts';
import type { OpenAIErrorBody } from '../../protocols/openai-chat.ts';

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function withRequestId(message: string, requestId: string): string {
  return `${message} (request id: ${requestId})`;
}

/**
 * The OpenAI error envelope. The message always ends with the request id. Every field is redacted
 * here, at the boundary, whatever the error's origin: upstream text may echo a credential.
 */
export function toOpenAIErrorBody(error: GatewayError, requestId: string): OpenAIErrorBody {
  return {
    error: {
      message: withRequestId(redactSecrets(error.message), requestId),
      type: redactSecrets(error.type),
      param: redactOptional(error.param),
      code: redactOptional(error.wireCode),
    },
  };
}

export function renderOpenAIError(error: GatewayError, requestId: string): RenderedError {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfter !== undefined) headers['retry-after'] = redactSecrets(error.retryAfter);
  return { status: error.status, headers, body: JSON.stringify(toOpenAIErrorBody(error, requestId)) };
}
