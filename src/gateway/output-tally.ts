import type { ChatResult, FinishReason, StreamEvent } from '../core/types.ts';

/** Text kept for an exact count; past it, characters are counted and converted at about 4 per token. */
const MAX_KEPT_CHARS = 64 * 1024;
/** Passthrough bytes kept to decode later; past it, the decoded count is scaled by the bytes seen. */
const MAX_KEPT_BYTES = 256 * 1024;
const CHARS_PER_TOKEN = 4;

/** Turns kept upstream bytes into the output they carry (the adapter's own parser). */
export type OutputDecoder = (bytes: Buffer) => DecodedOutput;

export interface DecodedOutput {
  texts: string[];
  /** Why each choice ended, in the provider's words (traces). */
  finishReasons: string[];
}

/**
 * What a request's response carried, kept cheaply while it streams, so that usage a provider never
 * sent (a stream cut before its usage chunk, a server that sends none) can be estimated afterwards:
 * translated output as text, passthrough output as the raw bytes, decoded only when needed.
 */
export class OutputTally {
  private readonly texts: string[] = [];
  private keptChars = 0;
  private overflowChars = 0;
  private readonly bytes: Buffer[] = [];
  private keptBytes = 0;
  private seenBytes = 0;
  private decoder: OutputDecoder | undefined;
  private decoded: DecodedOutput | undefined;
  private readonly reasons: string[] = [];

  addText(text: string | undefined): void {
    if (!text) return;
    if (this.keptChars + text.length <= MAX_KEPT_CHARS) {
      this.texts.push(text);
      this.keptChars += text.length;
    } else this.overflowChars += text.length;
  }

  addEvent(event: StreamEvent): void {
    if (event.type === 'text-delta' || event.type === 'refusal-delta' || event.type === 'reasoning-delta')
      this.addText(event.text);
    else if (event.type === 'tool-call-start') this.addText(event.name);
    else if (event.type === 'tool-call-delta') this.addText(event.argumentsDelta);
    else if (event.type === 'finish') this.reasons[event.choice] = finishReasonName(event.reason);
  }

  addResult(result: ChatResult): void {
    for (const choice of result.choices) {
      this.addText(choice.text ?? undefined);
      this.addText(choice.refusal ?? undefined);
      for (const part of choice.reasoning) this.addText(part.text);
      for (const call of choice.toolCalls) this.addText(call.name + call.arguments);
      this.reasons.push(finishReasonName(choice.finishReason));
    }
  }

  /** Raw upstream bytes in the adapter's wire format (passthrough), decoded by `decoder` if ever needed. */
  addBytes(bytes: Buffer, decoder: OutputDecoder): void {
    this.decoder = decoder;
    this.seenBytes += bytes.length;
    if (this.keptBytes + bytes.length > MAX_KEPT_BYTES) return;
    this.bytes.push(bytes);
    this.keptBytes += bytes.length;
  }

  /** The text kept so far (up to the cap). */
  keptText(): string {
    return this.texts.join('');
  }

  /** The output text (up to the caps), kept bytes decoded: what a trace with content capture shows. */
  text(): string {
    return this.keptText() + (this.decodeKept()?.texts.join('') ?? '');
  }

  /** Why each choice ended, as far as the kept output tells (traces). */
  finishReasons(): string[] {
    const reasons = this.reasons.filter((reason) => reason !== undefined);
    return reasons.length > 0 ? reasons : (this.decodeKept()?.finishReasons ?? []);
  }

  /** The kept passthrough bytes decoded once (undefined when none were kept, or they do not decode). */
  private decodeKept(): DecodedOutput | undefined {
    if (this.decoder === undefined || this.keptBytes === 0) return undefined;
    try {
      this.decoded ??= this.decoder(Buffer.concat(this.bytes));
    } catch {
      return undefined;
    }
    return this.decoded;
  }

  /** Output tokens, counted with `countTexts` over the text kept and estimated for the rest. */
  tokens(countTexts: (texts: readonly string[]) => number): number {
    let tokens = this.texts.length > 0 ? countTexts(this.texts) : 0;
    tokens += Math.ceil(this.overflowChars / CHARS_PER_TOKEN);
    if (this.decoder !== undefined && this.keptBytes > 0) {
      const output = this.decodeKept();
      const decoded = output === undefined ? Math.ceil(this.keptBytes / CHARS_PER_TOKEN / 4) : countTexts(output.texts);
      tokens += Math.ceil((decoded * this.seenBytes) / this.keptBytes);
    }
    return tokens;
  }
}

function finishReasonName(reason: FinishReason): string {
  return reason.raw ?? reason.unified;
}
