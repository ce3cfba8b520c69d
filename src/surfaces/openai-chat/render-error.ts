import type { GatewayError } from '../../core/errors.ts';
import { redactOptional, redactSecrets } from '../../lib/redact.ts';
import type { OpenAIErrorBody } from '../../protocols/openai-chat.ts';
import type { RenderedError } from '../types.ts';
import { openAIErrorFields } from './error-vocabulary.ts';

export function withRequestId(message: string, requestId: string): string {
  return `${message} (request id: ${requestId})`;
}

/**
 * The OpenAI error envelope. The message ends with the request id when there is one. Every field
 * is redacted here, at the boundary, whatever the error's origin: upstream text may echo a credential.
 */
export function toOpenAIErrorBody(error: GatewayError, requestId: string | undefined): OpenAIErrorBody {
  const fields = openAIErrorFields(error);
  const message = redactSecrets(error.message);
  return {
    error: {
      message: requestId === undefined ? message : withRequestId(message, requestId),
      type: redactSecrets(fields.type),
      param: redactOptional(fields.param),
      code: redactOptional(fields.code),
    },
  };
}

export function renderOpenAIError(error: GatewayError, requestId: string): RenderedError {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterMs !== undefined) headers['retry-after'] = retryAfterSeconds(error.retryAfterMs);
  return { status: error.status, headers, body: JSON.stringify(toOpenAIErrorBody(error, requestId)) };
}

/** Whole seconds, rounded up and at least 1: a `retry-after: 0` would invite an immediate retry storm. */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
