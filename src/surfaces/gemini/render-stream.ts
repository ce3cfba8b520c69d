import type { FinishReason, StreamEvent, Usage } from '../../core/types.ts';
import type { GeminiPart, GeminiResponse } from '../../protocols/gemini.ts';
import type { StreamRenderer } from '../types.ts';
import { functionCallPart, toGeminiFinishReason, toGeminiUsage } from './render-parts.ts';

/** How a `streamGenerateContent` answer is framed: SSE with `alt=sse`, else one JSON array written as it grows. */
export type GeminiStreamFraming = 'sse' | 'json-array';

/** Writes successive `GenerateContentResponse` chunks in one framing. */
export class ChunkFramer {
  private opened = false;

  constructor(readonly framing: GeminiStreamFraming) {}

  frame(chunk: object): string {
    const json = JSON.stringify(chunk);
    if (this.framing === 'sse') return `data: ${json}\r\n\r\n`;
    const lead = this.opened ? ',\r\n' : '[';
    this.opened = true;
    return lead + json;
  }

  /** The end of a complete stream. */
  close(): string {
    if (this.framing === 'sse') return '';
    return this.opened ? ']' : '[]';
  }
}

interface OpenCall {
  id: string;
  name: string;
  signature: string | undefined;
  args: string;
}

/**
 * Canonical stream events → Gemini chunks: one chunk per text or thought delta, a function call
 * whole once its arguments are complete, and a last chunk with every choice's `finishReason`, an
 * empty text part (Gemini's own shape, carrying a signature still pending) and `usageMetadata`
 * (gemini-cli treats a stream without a finish reason on its last chunk as broken).
 */
export class GeminiChunkRenderer implements StreamRenderer {
  private id: string | undefined;
  private model: string | undefined;
  private usage: Usage | undefined;
  private readonly calls = new Map<string, OpenCall>();
  private readonly pendingSignatures = new Map<number, string>();
  private readonly finishes = new Map<number, FinishReason>();

  /** `includeThoughts`: thought text is sent only when the client asked for it (signatures always are). */
  constructor(
    private readonly framer: ChunkFramer,
    fallbackModel: string,
    private readonly includeThoughts = true,
  ) {
    this.model = fallbackModel;
  }

  render(event: StreamEvent): string {
    switch (event.type) {
      case 'response-start':
        this.id = event.id;
        this.model = event.model || this.model;
        return '';
      case 'text-delta':
      case 'refusal-delta':
        return event.text === '' ? '' : this.part(event.choice, { text: event.text });
      case 'reasoning-delta':
        if (event.text !== undefined && event.text !== '' && this.includeThoughts) {
          const part: GeminiPart = { text: event.text, thought: true };
          if (event.signature !== undefined) part.thoughtSignature = event.signature;
          return this.part(event.choice, part);
        }
        if (event.signature !== undefined) this.pendingSignatures.set(event.choice, event.signature);
        return '';
      case 'tool-call-start':
        this.calls.set(`${event.choice}:${event.index}`, {
          id: event.id,
          name: event.name,
          signature: event.signature,
          args: '',
        });
        return '';
      case 'tool-call-delta': {
        const call = this.calls.get(`${event.choice}:${event.index}`);
        if (call) call.args += event.argumentsDelta;
        return '';
      }
      case 'tool-call-end':
        return this.flushCall(`${event.choice}:${event.index}`, event.choice);
      case 'finish':
        this.finishes.set(event.choice, event.reason);
        return this.flushCalls(event.choice);
      case 'usage':
        this.usage = event.usage;
        return '';
      default:
        return '';
    }
  }

  end(): string {
    let out = '';
    for (const choice of new Set([...this.calls.keys()].map((key) => Number(key.split(':')[0])))) {
      out += this.flushCalls(choice);
    }
    const choices = this.finishes.size > 0 ? [...this.finishes.keys()] : [0];
    const chunk = this.chunk(
      choices.map((choice) => {
        const part: GeminiPart = { text: '' };
        const signature = this.pendingSignatures.get(choice);
        if (signature !== undefined) part.thoughtSignature = signature;
        const reason = this.finishes.get(choice) ?? { unified: 'stop', raw: null };
        return { content: { role: 'model', parts: [part] }, finishReason: toGeminiFinishReason(reason), index: choice };
      }),
    );
    if (this.usage !== undefined) chunk.usageMetadata = toGeminiUsage(this.usage);
    return out + this.framer.frame(chunk) + this.framer.close();
  }

  /** Some upstreams mark no call's end: the calls still open when the choice finishes are complete. */
  private flushCalls(choice: number): string {
    let out = '';
    for (const key of [...this.calls.keys()]) if (key.startsWith(`${choice}:`)) out += this.flushCall(key, choice);
    return out;
  }

  private flushCall(key: string, choice: number): string {
    const call = this.calls.get(key);
    if (!call) return '';
    this.calls.delete(key);
    return this.part(choice, functionCallPart({ ...call, arguments: call.args }));
  }

  private part(choice: number, part: GeminiPart): string {
    const signature = this.pendingSignatures.get(choice);
    if (signature !== undefined && part.thoughtSignature === undefined) {
      part.thoughtSignature = signature;
      this.pendingSignatures.delete(choice);
    }
    return this.framer.frame(this.chunk([{ content: { role: 'model', parts: [part] }, index: choice }]));
  }

  private chunk(candidates: NonNullable<GeminiResponse['candidates']>): GeminiResponse {
    const chunk: GeminiResponse = { candidates };
    if (this.model !== undefined) chunk.modelVersion = this.model;
    if (this.id !== undefined) chunk.responseId = this.id;
    return chunk;
  }
}
