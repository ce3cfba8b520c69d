/** FIFO queue with O(1) amortized push/take/drop-oldest and put-back at the front. */
export class RecordQueue<T> {
  #items: T[] = [];
  #head = 0;
  #removed = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Position of the front item among every item ever pushed (0 for the first): how many left from the front. */
  get frontPosition(): number {
    return this.#removed;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns up to `count` items from the front. */
  take(count: number): T[] {
    const taken = this.#items.slice(this.#head, this.#head + count);
    this.#head += taken.length;
    this.#removed += taken.length;
    this.#compact();
    return taken;
  }

  /** Puts `batch` back at the front, in order (used when a write failed). */
  putBack(batch: readonly T[]): void {
    if (batch.length === 0) return;
    this.#removed -= batch.length;
    if (this.#head >= batch.length) {
      this.#head -= batch.length;
      for (let index = 0; index < batch.length; index++) {
        this.#items[this.#head + index] = batch[index] as T;
      }
      return;
    }
    this.#items = [...batch, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  /** Drops up to `count` items from the front; returns how many were dropped. */
  dropOldest(count: number): number {
    const dropped = Math.min(Math.max(count, 0), this.size);
    this.#head += dropped;
    this.#removed += dropped;
    this.#compact();
    return dropped;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
