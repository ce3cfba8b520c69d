/**
 * Canonical stream events → Anthropic SSE: `message_start` (then a `ping`), for each block
 * `content_block_start` / `content_block_delta` (text_delta, thinking_delta, signature_delta,
 * input_json_delta) / `content_block_stop`, then `message_delta` with the stop reason and the
 * usage, and `message_stop`. Claude Code drops a block it never saw start or stop, so every
 * block is opened before its first delta and closed before the next one opens (Anthropic blocks
 * never interleave). Reasoning opens lazily: its first delta says whether it is `thinking` or
 * `redacted_thinking`. Events of other choices than the first are ignored (no `n` here).
 */
import type { FinishReason, StreamEvent, Usage } from '../../core/types.ts';
import type { StreamRenderer } from '../types.ts';
import { toAnthropicStopReason, toAnthropicUsage } from './render-usage.ts';
import { thinkingSignature, toolUseId } from './signature-carrier.ts';

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'redacted' } | { kind: 'tool'; tool: number };

export interface StreamIdentity {
  id: string;
  model: string;
}

const frame = (event: string, data: Record<string, unknown>): string =>
  `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

export class AnthropicEventRenderer implements StreamRenderer {
  private started = false;
  private open: OpenBlock | undefined;
  private nextIndex = 0;
  private usage: Usage | undefined;
  private finish: FinishReason | undefined;
  /** The provider's signature for the open thinking block, sent (carried) when it closes. */
  private thinkingSignature: string | undefined;

  constructor(private readonly identity: StreamIdentity) {}

  render(event: StreamEvent): string {
    if ('choice' in event && event.choice !== 0) return '';
    let out = this.started || event.type === 'usage' ? '' : this.messageStart();
    switch (event.type) {
      case 'response-start':
        return out;
      case 'text-start':
        return out + this.openBlock({ kind: 'text' }, { type: 'text', text: '' });
      case 'text-delta':
      case 'refusal-delta':
        if (this.open?.kind !== 'text') out += this.openBlock({ kind: 'text' }, { type: 'text', text: '' });
        return out + this.delta({ type: 'text_delta', text: event.text });
      case 'text-end':
      case 'tool-call-end':
        return out + (this.open?.kind === (event.type === 'text-end' ? 'text' : 'tool') ? this.closeBlock() : '');
      case 'reasoning-start':
        return out + this.closeBlock();
      case 'reasoning-delta':
        return out + this.reasoningDelta(event);
      case 'reasoning-end':
        return out + (this.open?.kind === 'thinking' || this.open?.kind === 'redacted' ? this.closeBlock() : '');
      case 'tool-call-start':
        return (
          out +
          this.openBlock(
            { kind: 'tool', tool: event.index },
            { type: 'tool_use', id: toolUseId(event.id, event.signature), name: event.name, input: {} },
          )
        );
      case 'tool-call-delta':
        if (this.open?.kind !== 'tool' || this.open.tool !== event.index || event.argumentsDelta === '') return out;
        return out + this.delta({ type: 'input_json_delta', partial_json: event.argumentsDelta });
      case 'usage':
        this.usage = event.usage;
        return out;
      case 'finish':
        this.finish = event.reason;
        return out + this.closeBlock();
      default:
        // citations, logprobs: no Anthropic rendering; errors end the stream through renderStreamError.
        return out;
    }
  }

  end(): string {
    const start = this.started ? '' : this.messageStart();
    return (
      start +
      this.closeBlock() +
      frame('message_delta', {
        delta: { stop_reason: toAnthropicStopReason(this.finish), stop_sequence: null },
        usage: toAnthropicUsage(this.usage),
      }) +
      frame('message_stop', {})
    );
  }

  private messageStart(): string {
    this.started = true;
    const usage = toAnthropicUsage(this.usage);
    return (
      frame('message_start', {
        message: {
          id: this.identity.id,
          type: 'message',
          role: 'assistant',
          model: this.identity.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 0 },
        },
      }) + frame('ping', {})
    );
  }

  private reasoningDelta(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): string {
    let out = '';
    if (event.redactedData !== undefined) {
      out += this.openBlock({ kind: 'redacted' }, { type: 'redacted_thinking', data: event.redactedData });
      return out + this.closeBlock();
    }
    if (this.open?.kind !== 'thinking') {
      out += this.openBlock({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' });
    }
    if (event.text) out += this.delta({ type: 'thinking_delta', thinking: event.text });
    if (event.signature) this.thinkingSignature = event.signature;
    return out;
  }

  private openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    const out = this.closeBlock();
    this.open = block;
    return out + frame('content_block_start', { index: this.nextIndex, content_block: contentBlock });
  }

  private delta(delta: Record<string, unknown>): string {
    return frame('content_block_delta', { index: this.nextIndex, delta });
  }

  private closeBlock(): string {
    if (!this.open) return '';
    // A thinking block always ends with its signature: the carrier of the provider's, if any.
    const signature =
      this.open.kind === 'thinking'
        ? this.delta({ type: 'signature_delta', signature: thinkingSignature(this.thinkingSignature) })
        : '';
    this.thinkingSignature = undefined;
    this.open = undefined;
    const index = this.nextIndex;
    this.nextIndex += 1;
    return signature + frame('content_block_stop', { index });
  }
}
