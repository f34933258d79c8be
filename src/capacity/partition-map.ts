// The partitions of one table or GSI: slices of a 32-bit hash space, each with its own
// ceiling of 1,000 write units per second (3,000 read units, or a linear combination), kept
// as a token bucket that retains a little unused ceiling (partitionBurstSeconds). Partitions
// split (for throughput, size or heat) and never merge.
//
// Split for heat: a partition that stays near its ceiling ("a partition receives read or
// write traffic near its throughput capacity limit", AWS Database Blog, "Scaling DynamoDB",
// part 3) splits in two at the point that balances the traffic it saw, so keys that share a
// hot partition end up apart (developer guide: adaptive capacity "isolates frequently
// accessed items"). A single partition key value cannot be split: it stays capped.
import {
  heatGapMs, heatKeysNotedMax, heatPartitionsMax, heatSecondsToSplit, heatShareMin, partitionBurstSeconds, partitionWriteUnitsPerSecondMax,
} from './capacity-limits.js';

/** Size of the hash space partitions slice: positions are 0 .. 2^32 - 1. */
export const positionSpace = 2 ** 32;

/**
 * Where a partition key value falls in the hash space: FNV-1a over its identity (the string
 * keyIdentity gives), finished with murmur3's mixer so neighbouring strings (LEADERBOARD#1,
 * LEADERBOARD#2, ...) land far apart. Deterministic across runs; no allocation.
 */
export function keyPosition(identity: string): number {
  return taggedKeyPosition(identity.charCodeAt(0), identity, 1);
}

/** keyPosition of `String.fromCharCode(tag) + text.slice(from)`, without building that string. */
export function taggedKeyPosition(tag: number, text: string, from = 0): number {
  let hash = Math.imul(0x811c9dc5 ^ tag, 0x01000193);
  for (let i = from; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const ceilingUnits = partitionWriteUnitsPerSecondMax;
const burstUnits = ceilingUnits * partitionBurstSeconds;
const hotUnits = ceilingUnits * heatShareMin;
const warmUnits = ceilingUnits / 2;

class Partition {
  /** Units left in the ceiling bucket (write units; a read unit weighs a third). */
  level: number;
  updatedAtMs: number;
  /** The whole second `secondUnits` and `refused` describe. */
  second = -1;
  secondUnits = 0;
  refused = false;
  /** Hot seconds in the current run, and the last of them. */
  hotSeconds = 0;
  lastHotSecond = -1;
  /** Demand per key position in the current second, noted only during a hot run. */
  keyUnits: Map<number, number> | undefined;
  /** The same for the last hot second: where a split would cut. */
  lastHotKeyUnits: Map<number, number> | undefined;
  overflowed = false;

  constructor(
    /** First position of the partition's slice (inclusive). */
    public start: number,
    level: number,
    nowMs: number,
  ) {
    this.level = level;
    this.updatedAtMs = nowMs;
  }

  refill(nowMs: number): number {
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs > 0) {
      const level = this.level + (elapsedMs * ceilingUnits) / 1000;
      this.level = level > burstUnits ? burstUnits : level;
      this.updatedAtMs = nowMs;
    }
    return this.level;
  }
}

export class PartitionMap {
  /** Partitions in hash order; partitions[0].start is 0. */
  private partitions: Partition[];
  /** Heat splits so far (for tests and metrics). */
  splitsForHeat = 0;
  /** Units the whole resource used in the current and in the previous second. */
  private totalSecond = -1;
  private totalUnits = 0;
  private previousTotalUnits = 0;

  constructor(count: number, nowMs: number) {
    // A new partition starts with its full headroom: a burst to one key of a brand-new table
    // (1.2 MB in one BatchWriteItem) is accepted by DynamoDB.
    this.partitions = [new Partition(0, burstUnits, nowMs)];
    this.ensureAtLeast(count, nowMs);
  }

  get count(): number {
    return this.partitions.length;
  }

  /** The partition index of a position (binary search over the slice starts). */
  indexOf(position: number): number {
    const partitions = this.partitions;
    let low = 0;
    let high = partitions.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (partitions[middle]!.start <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * At least `count` partitions: adds the boundaries of `count` equal slices that are not
   * already there (throughput or size growth). Existing boundaries stay: nothing merges.
   */
  ensureAtLeast(count: number, nowMs: number): void {
    if (count <= this.partitions.length) return;
    const starts = new Set(this.partitions.map((partition) => partition.start));
    for (let i = 1; i < count; i++) {
      const start = Math.floor((i * positionSpace) / count);
      if (starts.has(start)) continue;
      starts.add(start);
      const parent = this.partitions[this.indexOf(start)]!;
      this.insert(new Partition(start, parent.refill(nowMs), nowMs));
    }
  }

  /**
   * Takes `units` (write units) from the partition of `position` if its ceiling has them;
   * returns false when it does not. Demand is noted either way, for heat.
   */
  tryTake(position: number, units: number, nowMs: number): boolean {
    const index = this.partitions.length === 1 ? 0 : this.indexOf(position);
    const partition = this.partitions[index]!;
    this.roll(partition, index, nowMs);
    if (partition.keyUnits !== undefined) this.note(partition, position, units);
    if (partition.refill(nowMs) < units) {
      partition.refused = true;
      return false;
    }
    partition.level -= units;
    partition.secondUnits += units;
    this.rollTotal(nowMs);
    this.totalUnits += units;
    return true;
  }

  /** Takes (or, negative, gives back) units unconditionally: settlement once the exact cost is known. */
  charge(position: number, units: number, nowMs: number): void {
    if (units === 0) return;
    const index = this.partitions.length === 1 ? 0 : this.indexOf(position);
    const partition = this.partitions[index]!;
    this.roll(partition, index, nowMs);
    partition.refill(nowMs);
    partition.level -= units;
    partition.secondUnits += units;
    this.rollTotal(nowMs);
    this.totalUnits += units;
    if (partition.keyUnits !== undefined && units > 0) this.note(partition, position, units);
  }

  /**
   * Whether the resource as a whole used at least half a partition's ceiling in this second
   * or the one before: below that no partition can be near its ceiling, and callers skip the
   * costlier work (reading a stored item for its index keys) that precision needs.
   */
  isWarm(nowMs: number): boolean {
    this.rollTotal(nowMs);
    return this.totalUnits >= warmUnits || this.previousTotalUnits >= warmUnits;
  }

  /** Counts units whose partition is not known toward the resource's warmth only. */
  countUnplaced(units: number, nowMs: number): void {
    if (units <= 0) return;
    this.rollTotal(nowMs);
    this.totalUnits += units;
  }

  private rollTotal(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second === this.totalSecond) return;
    this.previousTotalUnits = second === this.totalSecond + 1 ? this.totalUnits : 0;
    this.totalSecond = second;
    this.totalUnits = 0;
  }

  private note(partition: Partition, position: number, units: number): void {
    const keyUnits = partition.keyUnits!;
    const noted = keyUnits.get(position);
    if (noted !== undefined) keyUnits.set(position, noted + units);
    else if (keyUnits.size < heatKeysNotedMax) keyUnits.set(position, units);
    else partition.overflowed = true;
  }

  /**
   * Closes the partition's last second when `nowMs` is in a later one: counts it as hot or
   * not, and splits the partition once it has been hot long enough.
   */
  private roll(partition: Partition, index: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second === partition.second) return;
    const closed = partition.second;
    const hot = closed >= 0 && (partition.secondUnits >= hotUnits || partition.refused);
    partition.second = second;
    partition.secondUnits = 0;
    partition.refused = false;
    if (!hot) {
      if ((second - partition.lastHotSecond) * 1000 > heatGapMs) this.cool(partition);
      return;
    }
    // A quiet gap longer than heatGapMs ends a run: heat must be sustained.
    if ((closed - partition.lastHotSecond) * 1000 > heatGapMs) partition.hotSeconds = 0;
    partition.hotSeconds++;
    partition.lastHotSecond = closed;
    if (partition.keyUnits !== undefined) partition.lastHotKeyUnits = partition.keyUnits;
    partition.keyUnits = new Map();
    if (partition.hotSeconds >= heatSecondsToSplit) this.splitForHeat(partition, index, nowMs);
  }

  private cool(partition: Partition): void {
    partition.hotSeconds = 0;
    partition.keyUnits = undefined;
    partition.lastHotKeyUnits = undefined;
    partition.overflowed = false;
  }

  /**
   * Splits a partition where the demand of its last hot second is most evenly divided. One
   * hot key alone cannot be divided: the run restarts and the key stays capped.
   */
  private splitForHeat(partition: Partition, index: number, nowMs: number): void {
    const end = index + 1 < this.partitions.length ? this.partitions[index + 1]!.start : positionSpace;
    const start = partition.overflowed ? Math.floor((partition.start + end) / 2) : balancedSplitPoint(partition.lastHotKeyUnits);
    this.cool(partition);
    if (start === undefined || start <= partition.start || start >= end || this.partitions.length >= heatPartitionsMax) return;
    // Each half keeps the parent's unused ceiling and starts a fresh heat record.
    this.insert(new Partition(start, partition.refill(nowMs), nowMs));
    this.splitsForHeat++;
  }

  private insert(partition: Partition): void {
    const at = this.indexOf(partition.start) + 1;
    this.partitions.splice(at, 0, partition);
  }
}

/**
 * The boundary that best balances the noted demand: between two neighbouring key positions,
 * halfway, so keys not seen yet split evenly too. Undefined with fewer than two keys.
 */
function balancedSplitPoint(keyUnits: Map<number, number> | undefined): number | undefined {
  if (keyUnits === undefined || keyUnits.size < 2) return undefined;
  const keys = [...keyUnits.entries()].sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, units] of keys) total += units;
  let left = 0;
  let best: number | undefined;
  let bestWorst = Infinity;
  for (let i = 0; i < keys.length - 1; i++) {
    left += keys[i]![1];
    const worst = Math.max(left, total - left);
    if (worst < bestWorst) {
      bestWorst = worst;
      best = Math.floor((keys[i]![0] + keys[i + 1]![0]) / 2) + 1;
    }
  }
  return best;
}
