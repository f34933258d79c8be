// The throughput state of one resource that DynamoDB throttles on its own: a table or a global
// secondary index. Provisioned: a read and a write bucket at the provisioned rate, holding up
// to 300 seconds of unused capacity (burst). On-demand: one bucket in write units (a read unit
// weighs a third) at twice the previous peak, plus optional MaxRead/MaxWriteRequestUnits
// buckets. Both modes: the per-partition ceiling, kept per partition key value.
import type { OnDemandThroughput, ProvisionedThroughput } from '../engine/table-spec.js';
import {
  burstSeconds, onDemandInitialWriteUnitsPerSecond, onDemandPeakMultiplier, partitionWriteUnitsPerSecondMax, readUnitWeight,
} from './capacity-limits.js';
import { KeyWindow, TokenBucket } from './token-bucket.js';
import type { Operation, Throttle, ThrottleLimit } from './throttle-errors.js';

export interface ResourceThroughput {
  provisioned?: ProvisionedThroughput;
  onDemand?: OnDemandThroughput;
}

export class ResourceCapacity {
  readonly keys = new KeyWindow(partitionWriteUnitsPerSecondMax);
  provisioned: boolean;
  /** Provisioned: RCU bucket. On-demand: the same object as `write`. */
  read: TokenBucket;
  write: TokenBucket;
  /** Units a read (write) unit takes from its bucket: 1, or a third for on-demand reads. */
  readWeight: number;
  maxRead: TokenBucket | undefined;
  maxWrite: TokenBucket | undefined;
  /** On-demand: highest write-equivalent units consumed in one whole second. */
  peakUnitsPerSecond = 0;
  private windowSecond = -1;
  private windowUnits = 0;

  constructor(
    readonly arn: string,
    readonly isIndex: boolean,
    throughput: ResourceThroughput,
    nowMs: number,
    /** Whether on-demand instant throughput (4,000 WRU new, twice the peak after) refuses requests. */
    readonly onDemandLimitEnforced = true,
  ) {
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
      return;
    }
    if (this.provisioned && this.read !== this.write) {
      // Switching to on-demand: the previous peak is half the provisioned throughput, or the
      // new-table setting, whichever is higher (developer guide, "Initial throughput").
      const previous = this.write.ratePerSecond + this.read.ratePerSecond * readUnitWeight;
      this.peakUnitsPerSecond = Math.max(this.peakUnitsPerSecond, previous / 2);
    }
    const allowed = this.onDemandUnitsPerSecond();
    if (this.read === this.write && !this.provisioned && this.write.capacity > 0) this.write.reconfigure(allowed, allowed, nowMs);
    else this.read = this.write = new TokenBucket(allowed, allowed, allowed, nowMs);
    this.readWeight = readUnitWeight;
    this.provisioned = false;
    this.maxRead = maximumBucket(throughput.onDemand?.MaxReadRequestUnits, this.maxRead, nowMs);
    this.maxWrite = maximumBucket(throughput.onDemand?.MaxWriteRequestUnits, this.maxWrite, nowMs);
  }

  /** On-demand throughput available instantly: twice the previous peak, at least the new-table level. */
  onDemandUnitsPerSecond(): number {
    return Math.max(onDemandInitialWriteUnitsPerSecond, onDemandPeakMultiplier * this.peakUnitsPerSecond);
  }

  /**
   * Admits `units` of `operation` now, reserving them, or returns the limit that refuses them.
   * `key` (a partition key identity) is held to the per-partition ceiling.
   */
  admit(operation: Operation, units: number, key: string | undefined, nowMs: number): ThrottleLimit | undefined {
    const isRead = operation === 'read';
    const weighted = isRead ? units * this.readWeight : units;
    const bucket = isRead ? this.read : this.write;
    const maximum = isRead ? this.maxRead : this.maxWrite;
    if (maximum !== undefined && maximum.refill(nowMs) < units) return 'MaxOnDemandThroughputExceeded';
    if ((this.provisioned || this.onDemandLimitEnforced) && bucket.refill(nowMs) < weighted) {
      // An on-demand table out of instant capacity is short of partitions: a key-range limit.
      return this.provisioned ? 'ProvisionedThroughputExceeded' : 'KeyRangeThroughputExceeded';
    }
    // On-demand tables hold a hot key to the partition ceiling only in strict mode: DynamoDB
    // absorbs short bursts on one key of a new on-demand table (ScyllaDB's suite writes
    // 1.5 MB to one key in a BatchWriteItem pair and DynamoDB accepts it).
    const keyCeiling = this.provisioned || this.onDemandLimitEnforced;
    if (keyCeiling && key !== undefined && !this.keys.tryAdd(key, isRead ? units * readUnitWeight : units, nowMs)) return 'KeyRangeThroughputExceeded';
    this.charge(operation, units, nowMs);
    return undefined;
  }

  /** Whether a base-table write may proceed given this GSI's write capacity (no estimate: any debt refuses). */
  indexWriteRefusal(nowMs: number): ThrottleLimit | undefined {
    if (this.maxWrite !== undefined && this.maxWrite.refill(nowMs) <= 0) return 'MaxOnDemandThroughputExceeded';
    if ((this.provisioned || this.onDemandLimitEnforced) && this.write.refill(nowMs) <= 0) return this.provisioned ? 'ProvisionedThroughputExceeded' : 'KeyRangeThroughputExceeded';
    return undefined;
  }

  /** Takes `units` (negative: gives back) from the buckets; on-demand traffic raises the peak. */
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
    if (!this.provisioned) this.trackPeak(isRead ? units * readUnitWeight : units, nowMs);
  }

  /** Charges the partition ceiling of `key` (reads weigh a third of a write). */
  chargeKey(key: string, operation: Operation, units: number, nowMs: number): void {
    if (units !== 0) this.keys.add(key, operation === 'read' ? units * readUnitWeight : units, nowMs);
  }

  throttle(operation: Operation, limit: ThrottleLimit): Throttle {
    return { resourceArn: this.arn, isIndex: this.isIndex, provisioned: this.provisioned, operation, limit };
  }

  /**
   * unverified: how fast DynamoDB adopts a new peak (it documents "double the previous peak
   * within 30 minutes"); a whole second of traffic becomes the peak as soon as it ends.
   */
  private trackPeak(units: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.windowSecond) {
      if (this.windowUnits > this.peakUnitsPerSecond) {
        this.peakUnitsPerSecond = this.windowUnits;
        const allowed = this.onDemandUnitsPerSecond();
        if (allowed !== this.write.ratePerSecond) this.write.reconfigure(allowed, allowed, nowMs);
      }
      this.windowSecond = second;
      this.windowUnits = 0;
    }
    this.windowUnits += units;
  }
}

function maximumBucket(unitsPerSecond: number | undefined, current: TokenBucket | undefined, nowMs: number): TokenBucket | undefined {
  // -1 removes a maximum (API reference, OnDemandThroughput).
  if (unitsPerSecond === undefined || unitsPerSecond <= 0) return undefined;
  if (current) {
    current.reconfigure(unitsPerSecond, unitsPerSecond, nowMs);
    return current;
  }
  return new TokenBucket(unitsPerSecond, unitsPerSecond, unitsPerSecond, nowMs);
}
