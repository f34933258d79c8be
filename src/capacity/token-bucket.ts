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

/**
 * Units consumed per key in the current whole second: the per-partition ceiling, which burst
 * capacity cannot relieve. While the whole resource has used no more than the ceiling in the
 * second, no key can be over it, and the window only notes (key, units) in two reused arrays;
 * past that, it counts per key in a map (one lookup per request). Both reset each second, so
 * they hold at most the keys touched within one second.
 */
export class KeyWindow {
  private second = -1;
  private totalUnits = 0;
  private readonly notedKeys: string[] = [];
  private readonly notedUnits: number[] = [];
  private counting = false;
  private readonly used = new Map<string, { units: number }>();

  constructor(readonly unitsPerSecondMax: number) {}

  /** Adds `units` for `key` unless that takes it over the ceiling; returns whether it did. */
  tryAdd(key: string, units: number, nowMs: number): boolean {
    const entry = this.addToTotal(key, units, nowMs);
    if (entry === undefined) return true;
    if (units > 0 && entry.units + units > this.unitsPerSecondMax) {
      this.totalUnits -= units;
      return false;
    }
    entry.units += units;
    return true;
  }

  /** Adds (or, negative, gives back) units unconditionally: settlement after the exact cost is known. */
  add(key: string, units: number, nowMs: number): void {
    if (units === 0) return;
    const entry = this.addToTotal(key, units, nowMs);
    if (entry !== undefined) entry.units += units;
  }

  /**
   * Adds `units` to the second's total. Under the ceiling the key and units are only noted
   * (undefined); past it, the key's own counter is answered for the caller to add to.
   */
  private addToTotal(key: string, units: number, nowMs: number): { units: number } | undefined {
    this.roll(nowMs);
    this.totalUnits += units;
    if (!this.counting) {
      if (this.totalUnits <= this.unitsPerSecondMax) {
        this.notedKeys.push(key);
        this.notedUnits.push(units);
        return undefined;
      }
      this.startCounting();
    }
    let entry = this.used.get(key);
    if (entry === undefined) this.used.set(key, (entry = { units: 0 }));
    return entry;
  }

  /** Units `key` has used in the second of `nowMs`. */
  usedBy(key: string, nowMs: number): number {
    this.roll(nowMs);
    if (this.counting) return this.used.get(key)?.units ?? 0;
    let units = 0;
    for (let i = 0; i < this.notedKeys.length; i++) if (this.notedKeys[i] === key) units += this.notedUnits[i]!;
    return units;
  }

  private startCounting(): void {
    this.counting = true;
    for (let i = 0; i < this.notedKeys.length; i++) {
      const key = this.notedKeys[i]!;
      let entry = this.used.get(key);
      if (entry === undefined) this.used.set(key, (entry = { units: 0 }));
      entry.units += this.notedUnits[i]!;
    }
    this.notedKeys.length = 0;
    this.notedUnits.length = 0;
  }

  private roll(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second === this.second) return;
    this.second = second;
    this.totalUnits = 0;
    this.notedKeys.length = 0;
    this.notedUnits.length = 0;
    if (this.counting) {
      this.counting = false;
      this.used.clear();
    }
  }
}
