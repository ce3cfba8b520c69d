/**
 * Anthropic Messages SSE → canonical stream events (one parser per upstream stream).
 *
 * message_start → response-start (usage kept); content_block_start tool_use → tool-call-start with
 * the OpenAI tool ordinal (a counter across the stream, not Anthropic's block index, since text
 * blocks take block indexes too); input_json_delta → tool-call-delta; a tool block that got no
 * argument text (no-argument tools send one empty fragment) gets "{}" at content_block_stop;
 * text_delta → text-delta; thinking_delta / signature_delta → reasoning-delta; redacted_thinking
 * → reasoning-delta with the redacted data; citations_delta → citation events at the end of their
 * text block; text, thinking and redacted_thinking blocks (and the JSON response tool, as text) are
 * bracketed by text-/reasoning-start and -end carrying Anthropic's block index; message_delta → finish + cumulative usage; message_stop ends the stream; ping and
 * unknown events are ignored. Payloads are parsed with JSON.parse, so whitespace padding is fine.
 * llmux's JSON response tool streams as text. An `error` event (e.g. overloaded_error after HTTP
 * 200) becomes an error event; a stream that ends without message_stop or an error is an
 * `upstream_bad_response`, never a silently truncated answer.
 */
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import type { SseEvent } from '../../lib/sse-types.ts';
import type { AnthropicUsage } from '../../protocols/anthropic-messages.ts';
import type { SseEventParser } from '../sse-parser.ts';
import { fromAnthropicCitation } from './citations.ts';
import { fromAnthropicErrorPayload } from './errors.ts';
import { mapAnthropicStopReason } from './finish-reason.ts';
import { nowSeconds } from './response.ts';
import { JSON_RESPONSE_TOOL } from './tools.ts';
import { fromAnthropicServiceTier, fromAnthropicUsage, mergeAnthropicUsage } from './usage.ts';

type Json = Record<string, unknown>;

interface BlockState {
  kind: 'text' | 'thinking' | 'redacted' | 'tool' | 'json' | 'ignored';
  toolIndex: number;
  gotArguments: boolean;
  startInput: unknown;
  textStart: number;
  citations: unknown[];
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export class AnthropicStreamParser implements SseEventParser {
  private started = false;
  private finished = false;
  private failed = false;
  private startUsage: AnthropicUsage | undefined;
  private toolCount = 0;
  private jsonToolUsed = false;
  private usageSent = false;
  private textLength = 0;
  private readonly blocks = new Map<number, BlockState>();

  push(sse: SseEvent): StreamEvent[] {
    if (sse.data.trim() === '') return [];
    const payload = tryParseJson(sse.data);
    if (!isRecord(payload))
      throw new GatewayError('upstream_bad_response', 'Anthropic sent a stream event that is not JSON');
    switch (payload.type) {
      case 'message_start':
        return this.onMessageStart(payload);
      case 'content_block_start':
        return this.onBlockStart(payload);
      case 'content_block_delta':
        return this.onBlockDelta(payload);
      case 'content_block_stop':
        return this.onBlockStop(payload);
      case 'message_delta':
        return this.onMessageDelta(payload);
      case 'message_stop':
        this.finished = true;
        // Usage normally rides on message_delta; a stream without it still reports message_start's.
        return !this.usageSent && this.startUsage
          ? [{ type: 'usage', usage: fromAnthropicUsage(this.startUsage) }]
          : [];
      case 'error': {
        this.failed = true;
        // Tokens already consumed are still billed: report them before the error.
        const partial: StreamEvent[] =
          !this.usageSent && this.startUsage ? [{ type: 'usage', usage: fromAnthropicUsage(this.startUsage) }] : [];
        return [...partial, { type: 'error', error: fromAnthropicErrorPayload(payload) }];
      }
      default:
        return []; // ping, and event types newer than this parser
    }
  }

  end(): StreamEvent[] {
    if (this.finished || this.failed) return [];
    throw new GatewayError(
      'upstream_bad_response',
      'Anthropic stream ended before message_stop; the answer may be truncated',
    );
  }

  private onMessageStart(payload: Json): StreamEvent[] {
    const message = isRecord(payload.message) ? payload.message : {};
    if (isRecord(message.usage)) this.startUsage = message.usage as AnthropicUsage;
    if (this.started) return [];
    this.started = true;
    const start: StreamEvent = {
      type: 'response-start',
      id: str(message.id),
      model: str(message.model),
      created: nowSeconds(),
    };
    const tier = fromAnthropicServiceTier(isRecord(message.usage) ? message.usage.service_tier : undefined);
    if (tier) start.serviceTier = tier;
    return [start];
  }

  private onBlockStart(payload: Json): StreamEvent[] {
    const index = typeof payload.index === 'number' ? payload.index : -1;
    const block = isRecord(payload.content_block) ? payload.content_block : {};
    const state: BlockState = {
      kind: 'ignored',
      toolIndex: -1,
      gotArguments: false,
      startInput: block.input,
      textStart: this.textLength,
      citations: [],
    };
    this.blocks.set(index, state);
    switch (block.type) {
      case 'text':
        state.kind = 'text';
        return [{ type: 'text-start', choice: 0, block: index }, ...this.text(str(block.text))];
      case 'thinking': {
        state.kind = 'thinking';
        const events: StreamEvent[] = [{ type: 'reasoning-start', choice: 0, block: index }];
        if (str(block.thinking)) events.push({ type: 'reasoning-delta', choice: 0, text: str(block.thinking) });
        if (str(block.signature)) events.push({ type: 'reasoning-delta', choice: 0, signature: str(block.signature) });
        return events;
      }
      case 'redacted_thinking':
        state.kind = 'redacted';
        return [
          { type: 'reasoning-start', choice: 0, block: index },
          { type: 'reasoning-delta', choice: 0, redactedData: str(block.data) },
        ];
      case 'tool_use':
        if (block.name === JSON_RESPONSE_TOOL) {
          state.kind = 'json';
          this.jsonToolUsed = true;
          return [{ type: 'text-start', choice: 0, block: index }];
        }
        state.kind = 'tool';
        state.toolIndex = this.toolCount++;
        return [
          { type: 'tool-call-start', choice: 0, index: state.toolIndex, id: str(block.id), name: str(block.name) },
        ];
      default:
        return []; // server_tool_use, web_search_tool_result, …: run by Anthropic, not the client
    }
  }

  private onBlockDelta(payload: Json): StreamEvent[] {
    const state = this.blocks.get(typeof payload.index === 'number' ? payload.index : -1);
    const delta = isRecord(payload.delta) ? payload.delta : {};
    switch (delta.type) {
      case 'text_delta':
        return state?.kind === 'ignored' ? [] : this.text(str(delta.text));
      case 'thinking_delta':
        return str(delta.thinking) ? [{ type: 'reasoning-delta', choice: 0, text: str(delta.thinking) }] : [];
      case 'signature_delta':
        return str(delta.signature) ? [{ type: 'reasoning-delta', choice: 0, signature: str(delta.signature) }] : [];
      case 'citations_delta':
        state?.citations.push(delta.citation);
        return [];
      case 'input_json_delta': {
        const fragment = str(delta.partial_json);
        if (!state || fragment === '') return [];
        if (state.kind === 'tool') {
          state.gotArguments = true;
          return [{ type: 'tool-call-delta', choice: 0, index: state.toolIndex, argumentsDelta: fragment }];
        }
        if (state.kind === 'json') {
          state.gotArguments = true;
          return this.text(fragment);
        }
        return [];
      }
      default:
        return [];
    }
  }

  private onBlockStop(payload: Json): StreamEvent[] {
    const index = typeof payload.index === 'number' ? payload.index : -1;
    const state = this.blocks.get(index);
    this.blocks.delete(index);
    if (!state) return [];
    const noArguments = (): string => JSON.stringify(isRecord(state.startInput) ? state.startInput : {});
    switch (state.kind) {
      case 'tool': {
        const events: StreamEvent[] = [];
        if (!state.gotArguments)
          events.push({ type: 'tool-call-delta', choice: 0, index: state.toolIndex, argumentsDelta: noArguments() });
        events.push({ type: 'tool-call-end', choice: 0, index: state.toolIndex });
        return events;
      }
      case 'json':
        return [...(state.gotArguments ? [] : this.text(noArguments())), { type: 'text-end', choice: 0, block: index }];
      case 'text': {
        const events: StreamEvent[] = state.citations.flatMap((raw) => {
          const citation = fromAnthropicCitation(raw, state.textStart, this.textLength);
          return citation ? [{ type: 'citation' as const, choice: 0, citation }] : [];
        });
        events.push({ type: 'text-end', choice: 0, block: index });
        return events;
      }
      case 'thinking':
      case 'redacted':
        return [{ type: 'reasoning-end', choice: 0, block: index }];
      case 'ignored':
        return [];
    }
  }

  private onMessageDelta(payload: Json): StreamEvent[] {
    const events: StreamEvent[] = [];
    const delta = isRecord(payload.delta) ? payload.delta : {};
    if (typeof delta.stop_reason === 'string') {
      const onlyJsonTool = this.jsonToolUsed && this.toolCount === 0;
      events.push({ type: 'finish', choice: 0, reason: mapAnthropicStopReason(delta.stop_reason, onlyJsonTool) });
    }
    if (isRecord(payload.usage)) {
      this.startUsage = mergeAnthropicUsage(this.startUsage, payload.usage as AnthropicUsage);
      events.push({ type: 'usage', usage: fromAnthropicUsage(this.startUsage) });
      this.usageSent = true;
    }
    return events;
  }

  private text(text: string): StreamEvent[] {
    if (text === '') return [];
    this.textLength += text.length;
    return [{ type: 'text-delta', choice: 0, text }];
  }
}
