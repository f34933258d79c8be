// The throughput state of one resource that DynamoDB throttles on its own: a table or a global
// secondary index. Provisioned: a read and a write bucket at the provisioned rate, holding up
// to 300 seconds of unused capacity (burst). On-demand: one bucket in write units (a read unit
// weighs a third) at twice the previous peak, holding its partitions' headroom, plus
// MaxRead/WriteRequestUnits buckets (or the per-table account quota when those are not set). Both modes: partitions, each held to its
// ceiling (partition-map.ts).
import type { OnDemandThroughput, ProvisionedThroughput } from '../engine/table-spec.js';
import {
  burstSeconds, onDemandInitialWriteUnitsPerSecond, onDemandPeakMultiplier, onDemandTableRequestUnitsMax,
  partitionBurstSeconds, partitionWriteUnitsPerSecondMax, readUnitWeight,
} from './capacity-limits.js';
import { TokenBucket } from './token-bucket.js';
import { OnDemandPeak } from './on-demand-peak.js';
import { PartitionMap } from './partition-map.js';
import { partitionsForThroughput } from './partitions.js';
import type { Operation, Throttle, ThrottleLimit } from './throttle-errors.js';

export interface ResourceThroughput {
  provisioned?: ProvisionedThroughput;
  onDemand?: OnDemandThroughput;
}

export class ResourceCapacity {
  readonly partitions: PartitionMap;
  provisioned: boolean;
  /** Provisioned: RCU bucket. On-demand: the same object as `write`. */
  read: TokenBucket;
  write: TokenBucket;
  /** Units a read (write) unit takes from its bucket: 1, or a third for on-demand reads. */
  readWeight: number;
  /** On-demand: MaxRead/WriteRequestUnits, or the account's per-table quota, and which limit refuses. */
  maxRead: TokenBucket | undefined;
  maxWrite: TokenBucket | undefined;
  maxReadLimit: ThrottleLimit = 'AccountLimitExceeded';
  maxWriteLimit: ThrottleLimit = 'AccountLimitExceeded';
  /** On-demand: the previous peak, in write units per second. */
  readonly peak: OnDemandPeak;

  constructor(
    readonly arn: string,
    readonly isIndex: boolean,
    throughput: ResourceThroughput,
    nowMs: number,
    /** Whether on-demand instant throughput (4,000 WRU new, twice the previous peak after) refuses requests. */
    readonly onDemandLimitEnforced = true,
  ) {
    // A new on-demand resource serves what a previous peak of half that would allow.
    this.peak = new OnDemandPeak(onDemandInitialWriteUnitsPerSecond / onDemandPeakMultiplier);
    this.partitions = new PartitionMap(1, nowMs);
    this.provisioned = throughput.provisioned !== undefined;
    this.read = this.write = new TokenBucket(0, 0, 0, nowMs);
    this.readWeight = 1;
    this.configure(throughput, nowMs);
  }

  /** (Re)applies the declared throughput; bucket levels carry over where the mode stays. */
  configure(throughput: ResourceThroughput, nowMs: number): void {
    const provisioned = throughput.provisioned;
    if (provisioned) {
      const { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu } = provisioned;
      if (this.provisioned && this.read !== this.write) {
        this.read.reconfigure(rcu, rcu * burstSeconds, nowMs);
        this.write.reconfigure(wcu, wcu * burstSeconds, nowMs);
      } else {
        // Burst capacity is unused capacity retained: a new table starts with one second's worth.
        this.read = new TokenBucket(rcu, rcu * burstSeconds, rcu, nowMs);
        this.write = new TokenBucket(wcu, wcu * burstSeconds, wcu, nowMs);
      }
      this.readWeight = 1;
      this.maxRead = this.maxWrite = undefined;
      this.provisioned = true;
      this.partitions.ensureAtLeast(partitionsForThroughput(rcu, wcu), nowMs);
      return;
    }
    if (this.provisioned && this.read !== this.write) {
      // Switching to on-demand: the previous peak is half the provisioned throughput, or the
      // new-table setting, whichever is higher (developer guide, "Initial throughput").
      const previous = this.write.ratePerSecond + this.read.ratePerSecond * readUnitWeight;
      this.peak.adopted = Math.max(this.peak.adopted, previous / 2);
    }
    // The instant throughput is what the table's partitions serve together: with their
    // headroom (partitionBurstSeconds), so a new table takes a 3 MB transaction at once.
    const allowed = this.onDemandUnitsPerSecond();
    const headroom = allowed * partitionBurstSeconds;
    if (this.read === this.write && !this.provisioned && this.write.capacity > 0) this.write.reconfigure(allowed, headroom, nowMs);
    else this.read = this.write = new TokenBucket(allowed, headroom, headroom, nowMs);
    this.readWeight = readUnitWeight;
    this.provisioned = false;
    const onDemand = throughput.onDemand;
    this.maxRead = maximumBucket(onDemand?.MaxReadRequestUnits, this.maxRead, nowMs);
    this.maxReadLimit = isSet(onDemand?.MaxReadRequestUnits) ? 'MaxOnDemandThroughputExceeded' : 'AccountLimitExceeded';
    this.maxWrite = maximumBucket(onDemand?.MaxWriteRequestUnits, this.maxWrite, nowMs);
    this.maxWriteLimit = isSet(onDemand?.MaxWriteRequestUnits) ? 'MaxOnDemandThroughputExceeded' : 'AccountLimitExceeded';
    this.partitions.ensureAtLeast(Math.ceil(allowed / partitionWriteUnitsPerSecondMax), nowMs);
  }

  /** On-demand throughput available instantly: twice the previous peak, at least the new-table level. */
  onDemandUnitsPerSecond(): number {
    return Math.max(onDemandInitialWriteUnitsPerSecond, onDemandPeakMultiplier * this.peak.adopted);
  }

  /**
   * Admits `units` of `operation` now, reserving them, or returns the limit that refuses them.
   * `position` (where the request's partition key falls) is held to its partition's ceiling.
   */
  admit(operation: Operation, units: number, position: number | undefined, nowMs: number): ThrottleLimit | undefined {
    const isRead = operation === 'read';
    const maximum = isRead ? this.maxRead : this.maxWrite;
    if (maximum !== undefined && maximum.refill(nowMs) < units) return isRead ? this.maxReadLimit : this.maxWriteLimit;
    if (!this.provisioned) this.adoptPeak(nowMs);
    const bucket = isRead ? this.read : this.write;
    if ((this.provisioned || this.onDemandLimitEnforced) && bucket.refill(nowMs) < (isRead ? units * this.readWeight : units)) {
      // An on-demand table out of instant capacity is short of partitions: a key-range limit.
      return this.provisioned ? 'ProvisionedThroughputExceeded' : 'KeyRangeThroughputExceeded';
    }
    if (position !== undefined && !this.takePartition(position, isRead ? units * readUnitWeight : units, nowMs)) {
      return 'KeyRangeThroughputExceeded';
    }
    this.charge(operation, units, nowMs);
    return undefined;
  }

  /**
   * Takes `units` from the partition at `position`; false when its ceiling refuses them. On-demand
   * partitions refuse nothing unless the instant limit is enforced: DynamoDB absorbs short bursts
   * to an on-demand table's keys (1.5 MB to one key in a second, a 3 MB transaction on a new
   * table); the traffic still counts toward the partition's heat.
   */
  takePartition(position: number, units: number, nowMs: number): boolean {
    if (this.provisioned || this.onDemandLimitEnforced) return this.partitions.tryTake(position, units, nowMs);
    this.partitions.charge(position, units, nowMs);
    return true;
  }

  /** Whether a base-table write may proceed given this GSI's write capacity (no estimate: any debt refuses). */
  indexWriteRefusal(nowMs: number): ThrottleLimit | undefined {
    if (this.maxWrite !== undefined && this.maxWrite.refill(nowMs) <= 0) return this.maxWriteLimit;
    if (!this.provisioned) this.adoptPeak(nowMs);
    if ((this.provisioned || this.onDemandLimitEnforced) && this.write.refill(nowMs) <= 0) return this.provisioned ? 'ProvisionedThroughputExceeded' : 'KeyRangeThroughputExceeded';
    return undefined;
  }

  /** Takes `units` (negative: gives back) from the buckets; on-demand traffic counts toward the peak. */
  charge(operation: Operation, units: number, nowMs: number): void {
    if (units === 0) return;
    const isRead = operation === 'read';
    if (isRead) {
      this.read.refill(nowMs);
      this.read.level -= units * this.readWeight;
      if (this.maxRead !== undefined) {
        this.maxRead.refill(nowMs);
        this.maxRead.level -= units;
      }
    } else {
      this.write.refill(nowMs);
      this.write.level -= units;
      if (this.maxWrite !== undefined) {
        this.maxWrite.refill(nowMs);
        this.maxWrite.level -= units;
      }
    }
    if (!this.provisioned) this.peak.add(isRead ? units * readUnitWeight : units, nowMs);
  }

  /** Charges (negative: gives back) the ceiling of the partition at `position`; reads weigh a third. */
  chargePartition(position: number, operation: Operation, units: number, nowMs: number): void {
    if (units !== 0) this.partitions.charge(position, operation === 'read' ? units * readUnitWeight : units, nowMs);
  }

  throttle(operation: Operation, limit: ThrottleLimit): Throttle {
    return { resourceArn: this.arn, isIndex: this.isIndex, provisioned: this.provisioned, operation, limit };
  }

  /** Adopts a peak reached 30 minutes ago: twice it is available now, on more partitions. */
  private adoptPeak(nowMs: number): void {
    if (!this.peak.adoptDue(nowMs)) return;
    const allowed = this.onDemandUnitsPerSecond();
    const added = allowed * partitionBurstSeconds - this.write.capacity;
    if (added <= 0) return;
    // The capacity DynamoDB has allocated for the new peak is there at once.
    this.write.reconfigure(allowed, allowed * partitionBurstSeconds, nowMs);
    this.write.level += added;
    this.partitions.ensureAtLeast(Math.ceil(allowed / partitionWriteUnitsPerSecondMax), nowMs);
  }
}

function isSet(unitsPerSecond: number | undefined): boolean {
  return unitsPerSecond !== undefined && unitsPerSecond > 0;
}

/** A MaxRead/WriteRequestUnits bucket; unset (or -1, which removes it) falls back to the per-table account quota. */
function maximumBucket(unitsPerSecond: number | undefined, current: TokenBucket | undefined, nowMs: number): TokenBucket {
  const rate = isSet(unitsPerSecond) ? unitsPerSecond! : onDemandTableRequestUnitsMax;
  if (current) {
    current.reconfigure(rate, rate, nowMs);
    return current;
  }
  return new TokenBucket(rate, rate, rate, nowMs);
}
