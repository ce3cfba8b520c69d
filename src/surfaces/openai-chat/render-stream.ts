import { assertNever } from '../../core/assert-never.ts';
import type { GatewayError } from '../../core/errors.ts';
import type { StreamEvent, Usage } from '../../core/types.ts';
import type { OpenAIChatChunk, OpenAIChunkChoice } from '../../protocols/openai-chat.ts';
import { toOpenAIErrorBody } from './render-error.ts';
import { toReasoningChunkDelta } from './render-reasoning.ts';
import { toOpenAIAnnotation, toOpenAIFinishReason } from './render-response.ts';
import { toOpenAIUsage } from './render-usage.ts';

const DONE_FRAME = 'data: [DONE]\n\n';

/**
 * Renders canonical stream events as OpenAI `chat.completion.chunk` SSE frames. One instance per
 * response. The usage chunk (`choices: []`) is emitted at the end only when the client asked.
 */
export class OpenAIChunkRenderer {
  private id = '';
  private model = '';
  private created = 0;
  private serviceTier: string | undefined;
  private systemFingerprint: string | undefined;
  private usage: Usage | undefined;
  private readonly startedChoices = new Set<number>();
  /** Index of the current reasoning block per choice (`reasoning_details[].index`). */
  private readonly reasoningBlocks = new Map<number, number>();

  constructor(
    private readonly includeUsage: boolean,
    fallback: { id: string; model: string; created: number },
    /** The client sent legacy `functions`: the first call goes out as `delta.function_call`. */
    private readonly legacyFunctions = false,
  ) {
    this.id = fallback.id;
    this.model = fallback.model;
    this.created = fallback.created;
  }

  /** Returns the SSE text for one event (empty string when the event renders nothing). */
  render(event: StreamEvent): string {
    switch (event.type) {
      case 'response-start':
        if (event.id) this.id = event.id;
        if (event.model) this.model = event.model;
        if (event.created) this.created = event.created;
        this.serviceTier = event.serviceTier;
        this.systemFingerprint = event.systemFingerprint;
        return '';
      case 'text-delta':
        return this.frame(event.choice, { content: event.text });
      case 'refusal-delta':
        return this.frame(event.choice, { refusal: event.text });
      case 'reasoning-start':
        this.reasoningBlocks.set(event.choice, (this.reasoningBlocks.get(event.choice) ?? -1) + 1);
        return '';
      case 'reasoning-delta':
        return this.frame(event.choice, toReasoningChunkDelta(event, this.reasoningBlocks.get(event.choice) ?? 0));
      case 'tool-call-start':
        if (this.legacyFunctions) {
          return event.index === 0
            ? this.frame(event.choice, { function_call: { name: event.name, arguments: '' } })
            : '';
        }
        return this.frame(event.choice, {
          tool_calls: [
            {
              index: event.index,
              id: event.id,
              type: 'function',
              function: { name: event.name, arguments: '' },
              ...(event.signature ? { signature: event.signature } : {}),
            },
          ],
        });
      case 'tool-call-delta':
        if (this.legacyFunctions) {
          return event.index === 0
            ? this.frame(event.choice, { function_call: { arguments: event.argumentsDelta } })
            : '';
        }
        return this.frame(event.choice, {
          tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }],
        });
      case 'logprobs':
        return this.frame(event.choice, {}, null, event.logprobs);
      case 'finish':
        return this.frame(event.choice, {}, toOpenAIFinishReason(event.reason, this.legacyFunctions));
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        return renderStreamError(event.error);
      case 'citation':
        return this.frame(event.choice, { annotations: [toOpenAIAnnotation(event.citation)] });
      case 'text-start':
      case 'text-end':
      case 'reasoning-end':
      case 'tool-call-end':
        return '';
      default:
        return assertNever(event, 'stream event');
    }
  }

  /** Closing frames: the usage chunk when asked for, then `[DONE]`. */
  end(): string {
    if (!this.includeUsage || !this.usage) return DONE_FRAME;
    const chunk = this.chunk([]);
    chunk.usage = toOpenAIUsage(this.usage);
    return `data: ${JSON.stringify(chunk)}\n\n${DONE_FRAME}`;
  }

  get lastUsage(): Usage | undefined {
    return this.usage;
  }

  private frame(
    choice: number,
    delta: OpenAIChunkChoice['delta'],
    finishReason: string | null = null,
    logprobs?: OpenAIChunkChoice['logprobs'],
  ): string {
    if (!this.startedChoices.has(choice)) {
      this.startedChoices.add(choice);
      delta = { role: 'assistant', ...delta };
    }
    const entry: OpenAIChunkChoice = { index: choice, delta, finish_reason: finishReason };
    if (logprobs !== undefined) entry.logprobs = logprobs;
    return `data: ${JSON.stringify(this.chunk([entry]))}\n\n`;
  }

  private chunk(choices: OpenAIChunkChoice[]): OpenAIChatChunk {
    const chunk: OpenAIChatChunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices,
    };
    if (this.serviceTier !== undefined) chunk.service_tier = this.serviceTier;
    if (this.systemFingerprint !== undefined) chunk.system_fingerprint = this.systemFingerprint;
    return chunk;
  }
}

/**
 * An OpenAI-style error event; the official SDKs raise it as an APIError. The code is never null
 * here (the canonical code stands in), and the message ends with the request id when there is one.
 */
export function renderStreamError(error: GatewayError, requestId?: string): string {
  const body = toOpenAIErrorBody(error, requestId);
  body.error.code ??= error.code;
  return `data: ${JSON.stringify(body)}\n\n`;
}
