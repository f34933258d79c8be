// The catalog: every table's record, cached in memory, persisted in the store.
// Changes go through the store first and update the cache once they are durable.
import { randomUUID } from 'node:crypto';
import type { KvStore } from '../storage/index.js';
import { ChangeLogWriter } from '../backup/change-log.js';
import { StreamRegistry } from '../streams/stream-registry.js';
import type { Clock } from './database.js';
import { DynamoError } from '../model/errors.js';
import { tablesPerAccountMax } from '../model/limits.js';
import type { TableSpec } from './table-spec.js';
import type { ThroughputHistory } from '../capacity/throughput-decreases.js';
import { catalogKey, catalogRange, tableSequenceKey, tableStatsKey } from './storage-keys.js';

export type TableStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE' | 'ARCHIVED';

export interface TableRecord {
  spec: TableSpec;
  tableNumber: number;
  /** Storage index number of each secondary index (1..255; 0 is the table). */
  indexNumbers: Record<string, number>;
  tableId: string;
  tableArn: string;
  /** Seconds since the epoch, as DynamoDB reports CreationDateTime. */
  createdAt: number;
  status: TableStatus;
  throughputHistory: ThroughputHistory;
  timeToLive?: TimeToLive;
  /** Seconds since the epoch of the last TableClass change (TableClassSummary.LastUpdateDateTime). */
  tableClassUpdatedAt?: number;
  /** Point-in-time recovery, when enabled: since when (ms) and for how many days back. */
  pointInTimeRecovery?: { enabledAtMs: number; recoveryPeriodInDays: number };
  /** Set on tables made by RestoreTableFromBackup / RestoreTableToPointInTime (TableDescription.RestoreSummary). */
  restoreSummary?: RestoreSummary;
  /** The label of the table's newest stream (LatestStreamLabel), kept after the stream is disabled. */
  latestStreamLabel?: string;
}

export interface TimeToLive {
  AttributeName: string;
  Enabled: boolean;
  /** The expiry index's current generation (src/engine/expiry-index.ts); absent in records older than it. */
  expiryIndex?: { generation: number; complete: boolean };
}

export interface RestoreSummary {
  SourceBackupArn?: string;
  SourceTableArn?: string;
  /** Seconds since the epoch: the instant the restored data is from. */
  RestoreDateTime: number;
  RestoreInProgress: boolean;
}

/** How a table comes into being: CreateTable makes it ACTIVE; a restore makes it CREATING until its items are in. */
export interface CreateOptions {
  status?: 'ACTIVE' | 'CREATING';
  restoreSummary?: RestoreSummary;
}

export interface CollectionStats {
  itemCount: number;
  sizeBytes: number;
}

/** Counts of a table and of each of its indexes (keyed by index number). */
export interface TableStats extends CollectionStats {
  indexes: Record<number, CollectionStats>;
}

function emptyStats(): TableStats {
  return { itemCount: 0, sizeBytes: 0, indexes: {} };
}

export class Catalog {
  private readonly tables = new Map<string, TableRecord>();
  private readonly stats = new Map<number, TableStats>();
  /** Appends every item change to the change log (src/backup/change-log.ts). */
  readonly changeLog: ChangeLogWriter;
  /** The tables' DynamoDB Streams, opened and closed with the table records that enable them (src/streams/). */
  readonly streams: StreamRegistry;

  constructor(
    private readonly store: KvStore,
    readonly region: string,
    readonly accountId: string,
    readonly clock: Clock,
  ) {
    this.changeLog = new ChangeLogWriter(clock);
    this.streams = new StreamRegistry(store);
    for (const { value } of store.range(catalogRange)) {
      const record = value as TableRecord;
      this.tables.set(record.spec.TableName, record);
      this.stats.set(record.tableNumber, (store.get(tableStatsKey(record.tableNumber)) as TableStats) ?? emptyStats());
    }
  }

  tableArn(tableName: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${tableName}`;
  }

  /** The table, or DynamoDB's ResourceNotFoundException. */
  get(tableName: string): TableRecord {
    const record = this.tables.get(tableName);
    if (!record || record.status === 'DELETING') throw tableNotFound(tableName);
    return record;
  }

  /**
   * The table for a data-plane operation, whose not-found text names nothing. A table still
   * CREATING (a restore filling it) is not found yet, as in DynamoDB.
   */
  table(tableName: string): TableRecord {
    const record = this.find(tableName);
    if (!record || record.status === 'CREATING') throw new DynamoError('ResourceNotFoundException', 'Requested resource not found');
    return record;
  }

  find(tableName: string): TableRecord | undefined {
    const record = this.tables.get(tableName);
    return record && record.status !== 'DELETING' ? record : undefined;
  }

  names(): string[] {
    return [...this.tables.values()].filter((t) => t.status !== 'DELETING').map((t) => t.spec.TableName).sort();
  }

  statsOf(record: TableRecord): TableStats {
    return this.stats.get(record.tableNumber)!;
  }

  /** Live counters, updated inside the write transaction that changes them. */
  mutableStats(tableNumber: number): TableStats {
    return this.stats.get(tableNumber)!;
  }

  /** True when the name is taken, by a live table or one still being deleted. */
  has(tableName: string): boolean {
    return this.tables.has(tableName);
  }

  /** Live tables by table number (the change-log pruner walks the log by number). */
  byNumber(): Map<number, TableRecord> {
    const out = new Map<number, TableRecord>();
    for (const record of this.tables.values()) if (record.status !== 'DELETING') out.set(record.tableNumber, record);
    return out;
  }

  async create(spec: TableSpec, now: number, options: CreateOptions = {}): Promise<TableRecord> {
    if (this.tables.has(spec.TableName)) {
      throw new DynamoError('ResourceInUseException', `Table already exists: ${spec.TableName}`);
    }
    if (this.tables.size >= tablesPerAccountMax) {
      throw new DynamoError(
        'LimitExceededException',
        `Subscriber limit exceeded: Only ${tablesPerAccountMax} tables can be created in an account in a region`,
      );
    }
    const indexNumbers: Record<string, number> = {};
    let next = 1;
    for (const index of [...spec.LocalSecondaryIndexes, ...spec.GlobalSecondaryIndexes]) indexNumbers[index.IndexName] = next++;
    const record: TableRecord = {
      spec,
      tableNumber: 0,
      indexNumbers,
      tableId: randomUUID(),
      tableArn: this.tableArn(spec.TableName),
      createdAt: now / 1000,
      status: options.status ?? 'ACTIVE',
      throughputHistory: { decreasesToday: 0 },
    };
    if (options.restoreSummary) record.restoreSummary = options.restoreSummary;
    // Reserve the name before the commit so a concurrent CreateTable sees it.
    this.tables.set(spec.TableName, record);
    try {
      await this.store.transact((tx) => {
        const tableNumber = ((tx.get(tableSequenceKey) as number | undefined) ?? 0) + 1;
        record.tableNumber = tableNumber;
        tx.put(tableSequenceKey, tableNumber);
        this.streams.tableWritten(tx, record, this.changeLog, now);
        tx.put(catalogKey(spec.TableName), record);
        tx.put(tableStatsKey(tableNumber), emptyStats());
      });
    } catch (error) {
      this.tables.delete(spec.TableName);
      throw error;
    }
    this.stats.set(record.tableNumber, emptyStats());
    return record;
  }

  /** Persists a changed record (UpdateTable, TTL, index status). */
  async save(record: TableRecord): Promise<void> {
    await this.store.transact((tx) => {
      this.streams.tableWritten(tx, record, this.changeLog, this.clock.now());
      tx.put(catalogKey(record.spec.TableName), record);
    });
    this.tables.set(record.spec.TableName, record);
  }

  /** Removes the table from the catalog; its items are erased by the caller afterwards. */
  async remove(record: TableRecord): Promise<void> {
    record.status = 'DELETING';
    await this.store.transact((tx) => {
      this.streams.tableRemoved(tx, record, this.changeLog, this.clock.now());
      tx.delete(catalogKey(record.spec.TableName));
      tx.delete(tableStatsKey(record.tableNumber));
    });
    if (this.tables.get(record.spec.TableName) === record) this.tables.delete(record.spec.TableName);
    this.stats.delete(record.tableNumber);
    this.changeLog.forget(record.tableNumber);
  }
}

export function tableNotFound(tableName: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${tableName} not found`);
}
