import type { StreamEvent } from '../core/types.ts';

export type BlockKind = 'text' | 'reasoning';

/**
 * Synthesizes text and reasoning block boundaries for one choice of a format that streams only
 * deltas (OpenAI chat, Gemini): a block starts before its first delta and ends when content of
 * another kind comes (another block, a tool call, a refusal) or the choice finishes.
 */
export class ContentBlocks {
  private open: BlockKind | undefined;
  private block = -1;

  constructor(private readonly choice: number) {}

  /** Call before a delta of `kind`: ends a block of the other kind and starts one of this kind. */
  enter(kind: BlockKind, events: StreamEvent[]): void {
    if (this.open === kind) return;
    this.leave(events);
    this.open = kind;
    this.block += 1;
    events.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', choice: this.choice, block: this.block });
  }

  /** Ends the open block, if any. */
  leave(events: StreamEvent[]): void {
    const kind = this.open;
    if (kind === undefined) return;
    this.open = undefined;
    events.push({ type: kind === 'text' ? 'text-end' : 'reasoning-end', choice: this.choice, block: this.block });
  }
}
