import { GatewayError } from '../../core/errors.ts';
import type { ChoiceLogprobs, StreamEvent } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import type { SseEvent } from '../../lib/sse-types.ts';
import { ContentBlocks } from '../content-blocks.ts';
import type { SseEventParser } from '../sse-parser.ts';
import { mapOpenAIFinishReason } from './finish-reason.ts';
import type { ConvertUsage } from './hooks.ts';
import { fromOpenAIUsage } from './usage.ts';
import type { UpstreamChatChunk } from './wire-types.ts';

/** OpenAI `chat.completion.chunk` stream → canonical events; text and reasoning block boundaries are synthesized. */
export class OpenAIStreamParser implements SseEventParser {
  private started = false;
  private done = false;
  private readonly openToolCalls = new Set<string>();
  private readonly blocks = new Map<number, ContentBlocks>();

  constructor(private readonly convertUsage: ConvertUsage = fromOpenAIUsage) {}

  push(sse: SseEvent): StreamEvent[] {
    if (sse.data === '[DONE]') {
      this.done = true;
      return this.leaveAll();
    }
    const parsed = tryParseJson(sse.data);
    if (!isRecord(parsed)) {
      throw new GatewayError('upstream_bad_response', 'upstream sent a stream event that is not JSON');
    }
    if (isRecord(parsed.error)) {
      const message = typeof parsed.error.message === 'string' ? parsed.error.message : 'upstream stream error';
      this.done = true;
      return [{ type: 'error', error: new GatewayError('upstream_error', message) }];
    }
    const chunk = parsed as UpstreamChatChunk;
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
        this.blocksOf(index).enter('reasoning', events);
        events.push({ type: 'reasoning-delta', choice: index, text: delta.reasoning_content });
      }
      if (typeof delta.content === 'string' && delta.content) {
        this.blocksOf(index).enter('text', events);
        events.push({ type: 'text-delta', choice: index, text: delta.content });
      }
      if (typeof delta.refusal === 'string' && delta.refusal) {
        this.blocks.get(index)?.leave(events);
        events.push({ type: 'refusal-delta', choice: index, text: delta.refusal });
      }
      for (const call of delta.tool_calls ?? []) {
        // Some servers leave out the index of a choice's only tool call.
        const callIndex = call.index ?? 0;
        const key = `${index}:${callIndex}`;
        if (!this.openToolCalls.has(key) && (call.id || call.function?.name)) {
          this.openToolCalls.add(key);
          this.blocks.get(index)?.leave(events);
          const start: StreamEvent = {
            type: 'tool-call-start',
            choice: index,
            index: callIndex,
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
            index: callIndex,
            argumentsDelta: call.function.arguments,
          });
        }
      }
      if (choice.logprobs && (choice.logprobs.content?.length || choice.logprobs.refusal?.length)) {
        events.push({ type: 'logprobs', choice: index, logprobs: choice.logprobs as ChoiceLogprobs });
      }
      if (choice.finish_reason) {
        this.blocks.get(index)?.leave(events);
        events.push({ type: 'finish', choice: index, reason: mapOpenAIFinishReason(choice.finish_reason) });
      }
    }
    if (chunk.usage) events.push({ type: 'usage', usage: this.convertUsage(chunk.usage) });
    return events;
  }

  end(): StreamEvent[] {
    if (!this.done) throw new GatewayError('upstream_bad_response', 'upstream stream ended before [DONE]');
    return [];
  }

  private blocksOf(choice: number): ContentBlocks {
    let blocks = this.blocks.get(choice);
    if (!blocks) {
      blocks = new ContentBlocks(choice);
      this.blocks.set(choice, blocks);
    }
    return blocks;
  }

  /** Blocks of choices that never sent a finish_reason end with the stream. */
  private leaveAll(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const blocks of this.blocks.values()) blocks.leave(events);
    return events;
  }
}
