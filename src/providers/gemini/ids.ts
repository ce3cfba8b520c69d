import { randomBytes } from 'node:crypto';

/** Gemini function calls normally carry no id: OpenAI clients need one (litellm `call_<hex>`). */
export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

/** Used when a response has no `responseId`. */
export function newResponseId(): string {
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}
