/**
 * The bytes of request bodies held in memory across the process. A request reserves its body's
 * size before the body is read (its content-length, or chunk by chunk when it has none) and gives
 * it back when its response ends: the parsed body lives that long, not just until it is read.
 */
export class InflightBodyBudget {
  private used = 0;

  /** `maxBytes` 0 = no cap. */
  constructor(private readonly maxBytes: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes `bytes` from the budget, or nothing and false when they would push it over the cap. */
  tryReserve(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.maxBytes > 0 && this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** One request's share of the budget; `releaseAll` is idempotent. */
export class BodyReservation {
  private held = 0;

  constructor(private readonly budget: InflightBodyBudget) {}

  get bytes(): number {
    return this.held;
  }

  tryGrow(bytes: number): boolean {
    if (!this.budget.tryReserve(bytes)) return false;
    this.held += bytes;
    return true;
  }

  releaseAll(): void {
    this.budget.release(this.held);
    this.held = 0;
  }
}
