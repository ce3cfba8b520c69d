import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/types.ts';
import { isRecord, tryParseJson } from '../../lib/json.ts';
import type { SseEvent } from '../../lib/sse-types.ts';
import type { GeminiResponse } from '../../protocols/gemini.ts';
import type { SseEventParser } from '../sse-parser.ts';
import type { DeploymentTarget } from '../types.ts';
import { CandidateState } from './candidate.ts';
import { errorObject, fromGeminiErrorPayload } from './errors.ts';
import { mapGeminiBlockReason } from './finish-reason.ts';
import { newResponseId } from './ids.ts';
import { fromGeminiUsage } from './usage.ts';

/**
 * `streamGenerateContent?alt=sse` → canonical events. Every SSE event is a whole
 * GenerateContentResponse holding only the new parts; there is no terminator (the body just ends).
 *
 * - One `response-start`, from the first event (`responseId` is stable per stream).
 * - `candidates[i]` → choice `candidate.index` (position when absent), each with its own state.
 * - `usageMetadata` is cumulative and repeated on many events: a usage event is emitted whenever it
 *   changes, so the last one wins (metering still has a figure if the stream breaks).
 * - A prompt block (no candidates, `promptFeedback.blockReason`) → one empty choice, content_filter.
 * - An error payload where an event was expected (`{error}` or `[{error}]`, e.g. a bare JSON object
 *   mid-stream) → an `error` event; nothing after it is parsed.
 * - A JSON-array body (the stream endpoint without alt=sse) is taken element by element.
 * - `end()` throws `upstream_bad_response` when a choice never got its finishReason (cut stream).
 */
export class GeminiStreamParser implements SseEventParser {
  private started = false;
  private failed = false;
  private blocked = false;
  private lastUsage = '';
  private readonly choices = new Map<number, CandidateState>();

  constructor(
    private readonly target: DeploymentTarget,
    /** `parallel_tool_calls: false`: keep each choice's first function call only. */
    private readonly singleToolCall = false,
  ) {}

  push(sse: SseEvent): StreamEvent[] {
    if (this.failed || sse.data.trim() === '') return [];
    const parsed = tryParseJson(sse.data);
    if (parsed === undefined)
      throw new GatewayError('upstream_bad_response', 'Gemini sent a stream event that is not JSON');
    return this.pushJson(parsed);
  }

  /** One decoded payload: a GenerateContentResponse, an error, or an array of either. */
  pushJson(payload: unknown): StreamEvent[] {
    if (this.failed) return [];
    if (errorObject(payload)) return this.fail(payload);
    if (Array.isArray(payload)) return payload.flatMap((item) => this.pushJson(item));
    if (!isRecord(payload))
      throw new GatewayError('upstream_bad_response', 'Gemini sent a stream event that is not an object');
    return this.fromResponse(payload as GeminiResponse);
  }

  end(): StreamEvent[] {
    if (this.failed || this.blocked) return [];
    const unfinished = [...this.choices.values()].filter((state) => !state.finished);
    if (this.choices.size === 0 || unfinished.length > 0) {
      throw new GatewayError(
        'upstream_bad_response',
        'Gemini stream ended before a finishReason (the response may be cut short)',
        {
          provider: this.target.providerName,
        },
      );
    }
    return [];
  }

  /** For a non-streaming body: choices without a finishReason are finished here instead of failing. */
  finishUnreported(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const state of this.choices.values()) state.finishUnreported(events);
    return events;
  }

  private fromResponse(response: GeminiResponse): StreamEvent[] {
    const events: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'response-start',
        id: response.responseId || newResponseId(),
        model: (response.modelVersion ?? this.target.model).replace(/^models\//, ''),
        created: createdSeconds(response.createTime),
      });
    }
    const candidates = response.candidates ?? [];
    candidates.forEach((candidate, position) => {
      const choice = typeof candidate.index === 'number' ? candidate.index : position;
      events.push(...this.stateFor(choice).fromCandidate(candidate));
    });
    const blockReason = response.promptFeedback?.blockReason;
    if (candidates.length === 0 && blockReason) {
      this.blocked = true;
      const state = this.stateFor(0);
      if (!state.finished) {
        state.finished = true;
        events.push({ type: 'finish', choice: 0, reason: mapGeminiBlockReason(blockReason) });
      }
    }
    if (response.usageMetadata) {
      const key = JSON.stringify(response.usageMetadata);
      if (key !== this.lastUsage) {
        this.lastUsage = key;
        events.push({ type: 'usage', usage: fromGeminiUsage(response.usageMetadata) });
      }
    }
    return events;
  }

  private stateFor(choice: number): CandidateState {
    let state = this.choices.get(choice);
    if (!state) {
      state = new CandidateState(choice, this.singleToolCall);
      this.choices.set(choice, state);
    }
    return state;
  }

  private fail(payload: unknown): StreamEvent[] {
    this.failed = true;
    return [{ type: 'error', error: fromGeminiErrorPayload(payload, 200, this.target) }];
  }
}

function createdSeconds(createTime: string | undefined): number {
  const parsed = createTime === undefined ? Number.NaN : Date.parse(createTime);
  return Math.floor((Number.isNaN(parsed) ? Date.now() : parsed) / 1000);
}
