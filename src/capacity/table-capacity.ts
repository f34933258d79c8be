// The capacity state of every table, built from the catalog on first use and rebuilt when
// UpdateTable replaces a table's spec (bucket levels carry over) or the table is recreated.
import type { AttributeValue } from '../model/attribute-value.js';
import { partitionKeyDigest } from '../model/key-encoding.js';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { IndexSpec, TableSpec } from '../engine/table-spec.js';
import { ResourceCapacity, type ResourceThroughput } from './resource-capacity.js';
import { partitionsForSize } from './partitions.js';
import { keyPosition, taggedKeyPosition } from './partition-map.js';

export class TableCapacity {
  readonly table: ResourceCapacity;
  /** Global secondary indexes by name; LSIs share the table's throughput. */
  readonly globalIndexes = new Map<string, ResourceCapacity>();
  /** The same GSIs, for the write path's loop, and the attribute each is partitioned by. */
  globalIndexList: ResourceCapacity[] = [];
  globalIndexKeyNames: string[] = [];
  globalIndexNames: string[] = [];
  spec: TableSpec;
  readonly partitionKeyName: string;

  constructor(readonly record: TableRecord, nowMs: number, private readonly onDemandLimitEnforced: boolean) {
    this.spec = record.spec;
    this.partitionKeyName = record.spec.keySchema.partitionKey.name;
    // State is built on first use; capacity has accrued since the table was created.
    const sinceMs = Math.min(nowMs, record.createdAt * 1000);
    this.table = new ResourceCapacity(record.tableArn, false, tableThroughput(record.spec), sinceMs, onDemandLimitEnforced);
    this.configureIndexes(sinceMs);
  }

  /** Applies a spec UpdateTable replaced. */
  reconfigure(nowMs: number): void {
    this.spec = this.record.spec;
    this.table.configure(tableThroughput(this.spec), nowMs);
    this.configureIndexes(nowMs);
  }

  private configureIndexes(nowMs: number): void {
    const seen = new Set<string>();
    for (const index of this.spec.GlobalSecondaryIndexes) {
      if (index.IndexStatus === 'DELETING') continue;
      seen.add(index.IndexName);
      const throughput = indexThroughput(this.spec, index);
      const existing = this.globalIndexes.get(index.IndexName);
      if (existing) existing.configure(throughput, nowMs);
      else {
        this.globalIndexes.set(
          index.IndexName,
          new ResourceCapacity(`${this.record.tableArn}/index/${index.IndexName}`, true, throughput, nowMs, this.onDemandLimitEnforced),
        );
      }
    }
    for (const name of [...this.globalIndexes.keys()]) if (!seen.has(name)) this.globalIndexes.delete(name);
    // A multi-attribute GSI key is placed by its first HASH attribute (as Query admission does).
    this.globalIndexList = [];
    this.globalIndexKeyNames = [];
    this.globalIndexNames = [];
    for (const [name, resource] of this.globalIndexes) {
      this.globalIndexList.push(resource);
      this.globalIndexNames.push(name);
      this.globalIndexKeyNames.push(this.spec.GlobalSecondaryIndexes.find((index) => index.IndexName === name)!.keySchema.partitionKey.name);
    }
  }

  /**
   * The table's partition count: for its throughput (provisioned, or the on-demand throughput
   * it can serve instantly), for its size and for heat; partitions split but never merge.
   */
  partitionCount(sizeBytes: number, nowMs: number): number {
    this.table.partitions.ensureAtLeast(partitionsForSize(sizeBytes), nowMs);
    return this.table.partitions.count;
  }
}

function tableThroughput(spec: TableSpec): ResourceThroughput {
  if (spec.BillingMode === 'PROVISIONED' && spec.ProvisionedThroughput) return { provisioned: spec.ProvisionedThroughput };
  return { onDemand: spec.OnDemandThroughput };
}

function indexThroughput(spec: TableSpec, index: IndexSpec): ResourceThroughput {
  if (spec.BillingMode === 'PROVISIONED') {
    const provisioned = index.ProvisionedThroughput ?? spec.ProvisionedThroughput;
    if (provisioned) return { provisioned };
  }
  return { onDemand: index.OnDemandThroughput };
}

/** Capacity state of all tables of one database. */
export class CapacityTracker {
  private readonly tables = new Map<string, TableCapacity>();

  constructor(
    readonly db: Database,
    /** See CapacityOptions.onDemandInstantThroughput. */
    private readonly onDemandLimitEnforced = true,
  ) {}

  now(): number {
    return this.db.clock.now();
  }

  /** The table's state, or undefined when there is no such table (the operation reports that). */
  table(name: string, nowMs: number): TableCapacity | undefined {
    const record = this.db.catalog.find(name);
    let state = this.tables.get(name);
    if (record === undefined) {
      if (state !== undefined) this.tables.delete(name);
      return undefined;
    }
    if (state === undefined || state.record !== record) {
      state = new TableCapacity(record, nowMs, this.onDemandLimitEnforced);
      // A restored or imported table may already need partitions for its size.
      state.partitionCount(this.db.catalog.statsOf(record)?.sizeBytes ?? 0, nowMs);
      this.tables.set(name, state);
    } else if (state.spec !== record.spec) {
      state.reconfigure(nowMs);
    }
    return state;
  }

  /** The table's partition count now (for DescribeTable, metrics and tests). */
  partitionCount(name: string): number | undefined {
    const nowMs = this.now();
    const state = this.table(name, nowMs);
    if (!state) return undefined;
    return state.partitionCount(this.db.catalog.statsOf(state.record).sizeBytes, nowMs);
  }

  /** A GSI's partition count now (heat splits included; sizes are not tracked per index here). */
  indexPartitionCount(name: string, indexName: string): number | undefined {
    return this.table(name, this.now())?.globalIndexes.get(indexName)?.partitions.count;
  }
}

const tagS = 'S'.charCodeAt(0);
const tagB = 'B'.charCodeAt(0);

/**
 * Where a partition key value falls among the partitions (keyPosition of its keyIdentity), or
 * undefined for anything that is not a key value. S and B values are hashed in place.
 */
export function positionOf(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { S?: unknown; B?: unknown };
  if (typeof v.S === 'string') return taggedKeyPosition(tagS, v.S);
  if (typeof v.B === 'string') return taggedKeyPosition(tagB, v.B);
  const identity = keyIdentity(value);
  return identity === undefined ? undefined : keyPosition(identity);
}

/**
 * A partition key value's identity for the per-partition ceiling: the value itself for S and B,
 * the digest for N (so 1, 1.0 and 1E0 are one key). Undefined for anything that is not a key
 * value; the operation's own validation then rejects the request.
 */
export function keyIdentity(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { S?: unknown; N?: unknown; B?: unknown };
  if (typeof v.S === 'string') return 'S' + v.S;
  if (typeof v.B === 'string') return 'B' + v.B;
  if (typeof v.N === 'string') {
    try {
      return 'N' + partitionKeyDigest(value as AttributeValue).toString('latin1');
    } catch {
      return undefined;
    }
  }
  return undefined;
}
