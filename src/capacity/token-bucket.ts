// A token bucket over the injectable clock: `level` units available, refilled continuously
// at `ratePerSecond` up to `capacity`. The level may go negative (debt): a read's cost is only
// known after it ran, so the difference to its estimate is charged afterwards.
export class TokenBucket {
  level: number;
  private updatedAtMs: number;

  constructor(
    public ratePerSecond: number,
    public capacity: number,
    initialLevel: number,
    nowMs: number,
  ) {
    this.level = Math.min(initialLevel, capacity);
    this.updatedAtMs = nowMs;
  }

  /** The level at `nowMs`, after refilling for the time elapsed. */
  refill(nowMs: number): number {
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs > 0) {
      const level = this.level + (elapsedMs * this.ratePerSecond) / 1000;
      this.level = level > this.capacity ? this.capacity : level;
      this.updatedAtMs = nowMs;
    }
    return this.level;
  }

  /** A new rate and capacity (UpdateTable, on-demand growth); the level carries over. */
  reconfigure(ratePerSecond: number, capacity: number, nowMs: number): void {
    this.refill(nowMs);
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    if (this.level > capacity) this.level = capacity;
  }
}
