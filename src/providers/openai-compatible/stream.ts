import { GatewayError } from '../../core/errors.ts';
import type { ChoiceLogprobs, StreamEvent } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import type { SseEvent } from '../../lib/sse-types.ts';
import type { OpenAIChatChunk } from '../../protocols/openai-chat.ts';
import type { StreamParser } from '../types.ts';
import { mapOpenAIFinishReason } from './finish-reason.ts';
import { fromOpenAIUsage } from './usage.ts';

/** OpenAI `chat.completion.chunk` stream → canonical events. */
export class OpenAIStreamParser implements StreamParser {
  private started = false;
  private done = false;
  private readonly openToolCalls = new Set<string>();

  push(sse: SseEvent): StreamEvent[] {
    if (sse.data === '[DONE]') {
      this.done = true;
      return [];
    }
    const parsed = tryParseJson(sse.data);
    if (!isRecord(parsed)) {
      throw new GatewayError('upstream_bad_response', 'upstream sent a stream event that is not JSON');
    }
    if (isRecord(parsed.error)) {
      const message = typeof parsed.error.message === 'string' ? parsed.error.message : 'upstream stream error';
      this.done = true;
      return [{ type: 'error', error: { code: 'upstream_error', message, status: 502 } }];
    }
    const chunk = parsed as unknown as OpenAIChatChunk;
    const events: StreamEvent[] = [];
    if (!this.started && chunk.id) {
      this.started = true;
      const start: StreamEvent = {
        type: 'response-start',
        id: chunk.id,
        model: chunk.model ?? '',
        created: chunk.created ?? 0,
      };
      if (typeof chunk.service_tier === 'string') start.serviceTier = chunk.service_tier;
      if (typeof chunk.system_fingerprint === 'string') start.systemFingerprint = chunk.system_fingerprint;
      events.push(start);
    }
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      const delta = choice.delta ?? {};
      if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
        events.push({ type: 'reasoning-delta', choice: index, text: delta.reasoning_content });
      }
      if (typeof delta.content === 'string' && delta.content)
        events.push({ type: 'text-delta', choice: index, text: delta.content });
      if (typeof delta.refusal === 'string' && delta.refusal)
        events.push({ type: 'refusal-delta', choice: index, text: delta.refusal });
      for (const call of delta.tool_calls ?? []) {
        const key = `${index}:${call.index}`;
        if (!this.openToolCalls.has(key) && (call.id || call.function?.name)) {
          this.openToolCalls.add(key);
          const start: StreamEvent = {
            type: 'tool-call-start',
            choice: index,
            index: call.index,
            id: call.id ?? '',
            name: call.function?.name ?? '',
          };
          if (call.signature) start.signature = call.signature;
          events.push(start);
        }
        if (call.function?.arguments) {
          events.push({
            type: 'tool-call-delta',
            choice: index,
            index: call.index,
            argumentsDelta: call.function.arguments,
          });
        }
      }
      if (choice.logprobs && (choice.logprobs.content?.length || choice.logprobs.refusal?.length)) {
        events.push({ type: 'logprobs', choice: index, logprobs: choice.logprobs as ChoiceLogprobs });
      }
      if (choice.finish_reason)
        events.push({ type: 'finish', choice: index, reason: mapOpenAIFinishReason(choice.finish_reason) });
    }
    if (chunk.usage) events.push({ type: 'usage', usage: fromOpenAIUsage(chunk.usage) });
    return events;
  }

  end(): StreamEvent[] {
    if (!this.done) throw new GatewayError('upstream_bad_response', 'upstream stream ended before [DONE]');
    return [];
  }
}
