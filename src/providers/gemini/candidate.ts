import type { Citation, StreamEvent } from '../../core/types.ts';
import type { GeminiCandidate, GeminiCitationSource, GeminiPart } from '../../protocols/gemini.ts';
import { ContentBlocks } from '../content-blocks.ts';
import { mapGeminiFinishReason } from './finish-reason.ts';
import { newToolCallId } from './ids.ts';
import { fromGeminiLogprobs } from './logprobs.ts';
import { PartialArgs } from './partial-args.ts';

/**
 * The state of one choice across a stream (or of one candidate of a response): tool calls are
 * numbered across the whole stream (litellm's cumulative index), whether a call was seen is
 * remembered for the finish that arrives later (Gemini sends STOP in a following event), and
 * citations repeated by later events are reported once.
 */
export class CandidateState {
  finished = false;
  private toolCount = 0;
  private sawToolCalls = false;
  private openCall: { index: number; args: PartialArgs; dropped: boolean } | undefined;
  private readonly citations = new Set<string>();
  private readonly blocks: ContentBlocks;

  /**
   * @param singleToolCall `parallel_tool_calls: false`, which Gemini has no switch for: calls after
   * the first are dropped (request.ts lists that in the warnings).
   */
  constructor(
    readonly choice: number,
    private readonly singleToolCall = false,
  ) {
    this.blocks = new ContentBlocks(choice);
  }

  /** Events for one candidate of one GenerateContentResponse. */
  fromCandidate(candidate: GeminiCandidate): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const part of candidate.content?.parts ?? []) this.fromPart(part, events);
    const sources = candidate.citationMetadata?.citationSources ?? candidate.citationMetadata?.citations ?? [];
    for (const source of sources) this.fromCitation(source, events);
    const logprobs = candidate.logprobsResult ? fromGeminiLogprobs(candidate.logprobsResult) : null;
    if (logprobs) events.push({ type: 'logprobs', choice: this.choice, logprobs });
    if (candidate.finishReason) this.finish(candidate.finishReason, events);
    return events;
  }

  /** Finishes the choice (closing a call still streaming its arguments). */
  finish(raw: string, events: StreamEvent[]): void {
    this.closeCall(events);
    this.blocks.leave(events);
    if (this.finished) return;
    this.finished = true;
    events.push({ type: 'finish', choice: this.choice, reason: mapGeminiFinishReason(raw, this.sawToolCalls) });
  }

  /** A response without finishReason (non-streaming only): tool_calls when it called tools, else other. */
  finishUnreported(events: StreamEvent[]): void {
    this.closeCall(events);
    this.blocks.leave(events);
    if (this.finished) return;
    this.finished = true;
    events.push({
      type: 'finish',
      choice: this.choice,
      reason: { unified: this.sawToolCalls ? 'tool_calls' : 'other', raw: null },
    });
  }

  private fromPart(part: GeminiPart, events: StreamEvent[]): void {
    const choice = this.choice;
    if (part.functionCall) {
      this.fromFunctionCall(part, events);
      return;
    }
    const signature = part.thoughtSignature;
    if (typeof part.text === 'string' && part.thought === true) {
      if (part.text !== '' || signature !== undefined) {
        this.blocks.enter('reasoning', events);
        events.push(
          signature === undefined
            ? { type: 'reasoning-delta', choice, text: part.text }
            : { type: 'reasoning-delta', choice, text: part.text, signature },
        );
      }
      return;
    }
    if (typeof part.text === 'string' && part.text !== '') {
      this.blocks.enter('text', events);
      events.push({ type: 'text-delta', choice, text: part.text });
    }
    // A signature on a text part (often an empty final one) is kept as signature-only reasoning.
    if (signature !== undefined) {
      this.blocks.enter('reasoning', events);
      events.push({ type: 'reasoning-delta', choice, signature });
    }
  }

  /**
   * A `functionCall` part: whole (`{name, args}`; args may be `{}` or missing → "{}"), or, with
   * Vertex streamFunctionCallArguments, `{name, willContinue}` then `{partialArgs}` parts then an
   * empty `{}` that ends it. Ids are Gemini's when it sends one, else synthesized.
   */
  private fromFunctionCall(part: GeminiPart, events: StreamEvent[]): void {
    const call = part.functionCall ?? {};
    if (this.openCall && call.name !== undefined) this.closeCall(events);
    if (this.openCall) {
      for (const fragment of call.partialArgs ?? []) this.openCall.args.push(fragment);
      if (!call.willContinue) this.closeCall(events);
      return;
    }
    if (call.name === undefined) return;
    if (this.singleToolCall && this.toolCount > 0) {
      if (call.willContinue) this.openCall = { index: -1, args: new PartialArgs(), dropped: true };
      return;
    }
    this.blocks.leave(events);
    const index = this.toolCount++;
    this.sawToolCalls = true;
    const start: StreamEvent = {
      type: 'tool-call-start',
      choice: this.choice,
      index,
      id: call.id || newToolCallId(),
      name: call.name,
    };
    if (part.thoughtSignature !== undefined) start.signature = part.thoughtSignature;
    events.push(start);
    if (call.willContinue) {
      this.openCall = { index, args: new PartialArgs(), dropped: false };
      for (const fragment of call.partialArgs ?? []) this.openCall.args.push(fragment);
      return;
    }
    events.push({
      type: 'tool-call-delta',
      choice: this.choice,
      index,
      argumentsDelta: JSON.stringify(call.args ?? {}),
    });
    events.push({ type: 'tool-call-end', choice: this.choice, index });
  }

  private closeCall(events: StreamEvent[]): void {
    const open = this.openCall;
    if (!open) return;
    this.openCall = undefined;
    if (open.dropped) return;
    events.push({
      type: 'tool-call-delta',
      choice: this.choice,
      index: open.index,
      argumentsDelta: JSON.stringify(open.args.value),
    });
    events.push({ type: 'tool-call-end', choice: this.choice, index: open.index });
  }

  private fromCitation(source: GeminiCitationSource, events: StreamEvent[]): void {
    const citation: Citation = {};
    const url = source.uri ?? source.url;
    if (url !== undefined) citation.url = url;
    if (source.title !== undefined) citation.title = source.title;
    if (source.startIndex !== undefined) citation.startIndex = source.startIndex;
    if (source.endIndex !== undefined) citation.endIndex = source.endIndex;
    const key = JSON.stringify(citation);
    if (this.citations.has(key)) return;
    this.citations.add(key);
    events.push({ type: 'citation', choice: this.choice, citation });
  }
}
