// On-demand backups: records (space 21) and their items (space 22), taken without blocking
// writes and kept until deleted, also after their source table is gone. SYSTEM backups are the
// ones DynamoDB leaves when a table with point-in-time recovery is deleted: named
// `<table>$DeletedTableBackup`, kept 35 days, then gone; users cannot delete them.
import { randomBytes } from 'node:crypto';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { TableSpec } from '../engine/table-spec.js';
import type { StoredItem } from '../engine/stored-item.js';
import { eraseRange, eraseTable } from '../engine/erase.js';
import { backupItemKey, backupItemsRange, backupRecordKey, backupRecordRange, backupSequenceKey, baseIndexNumber, indexPrefix } from '../engine/storage-keys.js';
import type { KvTransaction } from '../storage/index.js';
import type { RetentionPins } from './retention.js';
import { copyRange, copyTableAsOf, type ItemSink } from './snapshot.js';
import { systemBackupRetentionMs } from './transfer-limits.js';

export type BackupStatus = 'CREATING' | 'AVAILABLE' | 'DELETED';
export type BackupType = 'USER' | 'SYSTEM';

/** What the store keeps per backup: DynamoDB's names where the wire shows them. */
export interface BackupRecord {
  BackupArn: string;
  BackupName: string;
  BackupStatus: BackupStatus;
  BackupType: BackupType;
  /** The instant the backup's data is from (ms). */
  createdAtMs: number;
  /** SYSTEM backups: when the backup expires and is removed (ms); BackupExpiryDateTime. */
  expiresAtMs?: number;
  /** SYSTEM backups: the dropped table's items have been erased, after the copy. */
  sourceErased?: boolean;
  /** Where its items live in space 22. */
  backupNumber: number;
  itemCount: number;
  sizeBytes: number;
  source: {
    tableName: string;
    tableId: string;
    tableArn: string;
    /** Seconds, as TableCreationDateTime. */
    createdAt: number;
    spec: TableSpec;
    timeToLive?: { AttributeName: string; Enabled: boolean };
    /** SYSTEM backups: the dropped table's number, whose items are copied and then erased. */
    tableNumber?: number;
  };
}

export class BackupCatalog {
  private readonly records = new Map<string, BackupRecord>();
  /** Restores reading a backup right now, by ARN: such a backup cannot be deleted. */
  private readonly readers = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly pins: RetentionPins,
  ) {
    for (const { value } of db.store.range(backupRecordRange)) {
      const record = value as BackupRecord;
      this.records.set(record.BackupArn, record);
    }
  }

  get(backupArn: string): BackupRecord | undefined {
    const record = this.records.get(backupArn);
    return record && this.visible(record, this.db.clock.now()) ? record : undefined;
  }

  /** Backups not deleted nor expired, oldest first (ties by ARN). */
  list(): BackupRecord[] {
    const nowMs = this.db.clock.now();
    return [...this.records.values()]
      .filter((record) => this.visible(record, nowMs))
      .sort((a, b) => a.createdAtMs - b.createdAtMs || (a.BackupArn < b.BackupArn ? -1 : a.BackupArn > b.BackupArn ? 1 : 0));
  }

  /** A backup being created. */
  creating(record: BackupRecord): boolean {
    return record.BackupStatus === 'CREATING';
  }

  /** A backup a restore is reading: DynamoDB lets a backup feed one restore at a time. */
  restoring(record: BackupRecord): boolean {
    return (this.readers.get(record.BackupArn) ?? 0) > 0;
  }

  /** Marks a backup as read by a restore until the returned function is called. */
  read(record: BackupRecord): () => void {
    this.readers.set(record.BackupArn, (this.readers.get(record.BackupArn) ?? 0) + 1);
    return () => {
      const left = (this.readers.get(record.BackupArn) ?? 1) - 1;
      if (left > 0) this.readers.set(record.BackupArn, left);
      else this.readers.delete(record.BackupArn);
    };
  }

  /**
   * Records a CREATING backup at a consistent cut of `table` and starts copying it; resolves
   * with the record and a promise of the copy's end.
   */
  async create(table: TableRecord, backupName: string): Promise<{ record: BackupRecord; done: Promise<void> }> {
    const db = this.db;
    let releasePin = () => {};
    const { record, asOf } = await db.store.transact((tx) => {
      // Inside a write transaction: once it commits, every change up to `asOf` has committed.
      const asOf = db.catalog.changeLog.lastPosition(tx, table.tableNumber);
      releasePin = this.pins.pin(table.tableNumber, asOf.commitMs);
      const createdAtMs = db.clock.now();
      const backupNumber = ((tx.get(backupSequenceKey) as number | undefined) ?? 0) + 1;
      tx.put(backupSequenceKey, backupNumber);
      const record: BackupRecord = {
        BackupArn: `${table.tableArn}/backup/${String(createdAtMs).padStart(14, '0')}-${randomBytes(4).toString('hex')}`,
        BackupName: backupName,
        BackupStatus: 'CREATING',
        BackupType: 'USER',
        createdAtMs,
        backupNumber,
        itemCount: 0,
        sizeBytes: 0,
        source: { ...sourceOf(table), ...(table.timeToLive && { timeToLive: { ...table.timeToLive } }) },
      };
      tx.put(backupRecordKey(record.BackupArn), record);
      return { record, asOf };
    });
    this.records.set(record.BackupArn, record);
    const done = copyTableAsOf(db, table, asOf, backupSink(record))
      .then(async () => {
        record.BackupStatus = 'AVAILABLE';
        await db.store.transact((tx) => tx.put(backupRecordKey(record.BackupArn), record));
      })
      .catch(async (error: unknown) => {
        await this.erase(record);
        throw error;
      })
      .finally(releasePin);
    return { record, done };
  }

  /**
   * Records the SYSTEM backup of a table just removed from the catalog (DeleteTable with PITR
   * on) and copies its items, then erases the table's items. No write reaches a removed table, so
   * its items are its last state. The ARN ends in `-00000000`, as DynamoDB's system backups do.
   */
  async createSystem(table: TableRecord): Promise<BackupRecord> {
    const db = this.db;
    const record = await db.store.transact((tx) => {
      const createdAtMs = db.clock.now();
      const backupNumber = ((tx.get(backupSequenceKey) as number | undefined) ?? 0) + 1;
      tx.put(backupSequenceKey, backupNumber);
      let arn = `${table.tableArn}/backup/${String(createdAtMs).padStart(14, '0')}-00000000`;
      // Two tables of one name deleted in the same millisecond: keep both backups.
      if (this.records.has(arn)) arn = `${arn.slice(0, -8)}${randomBytes(4).toString('hex')}`;
      const record: BackupRecord = {
        BackupArn: arn,
        BackupName: `${table.spec.TableName}$DeletedTableBackup`,
        BackupStatus: 'CREATING',
        BackupType: 'SYSTEM',
        createdAtMs,
        expiresAtMs: createdAtMs + systemBackupRetentionMs,
        backupNumber,
        itemCount: 0,
        sizeBytes: 0,
        source: { ...sourceOf(table), tableNumber: table.tableNumber },
      };
      tx.put(backupRecordKey(record.BackupArn), record);
      return record;
    });
    this.records.set(record.BackupArn, record);
    db.runInBackground(`system backup ${record.BackupArn}`, () => this.finishSystem(record));
    return record;
  }

  /**
   * Copies a SYSTEM backup's table (again from the start, after a restart), then erases the
   * table's items. Call synchronously where the copy must begin: its read snapshot is taken before
   * this returns, so an erasure of the dropped table started in the same turn (the engine's
   * cleanup of deleted tables at startup) cannot reach the items it copies.
   */
  private finishSystem(record: BackupRecord): Promise<void> {
    const tableNumber = record.source.tableNumber as number;
    const copied = record.BackupStatus === 'CREATING' ? this.copySystem(record, tableNumber) : Promise.resolve();
    return copied.then(async () => {
      await eraseTable(this.db.store, tableNumber);
      record.sourceErased = true;
      if (record.BackupStatus !== 'AVAILABLE') return;
      await this.db.store.transact((tx) => tx.put(backupRecordKey(record.BackupArn), record));
    });
  }

  private async copySystem(record: BackupRecord, tableNumber: number): Promise<void> {
    // Items a cut-short copy wrote are written again under the same keys (a dropped table does
    // not change), so counting every write from zero gives the backup's count and size.
    record.itemCount = 0;
    record.sizeBytes = 0;
    const sink: ItemSink = {
      live: () => record.BackupStatus === 'CREATING',
      write(tx, keySuffix, item) {
        tx.put(backupItemKey(record.backupNumber, keySuffix), item as StoredItem);
        record.itemCount++;
        record.sizeBytes += (item as StoredItem)[0];
      },
    };
    // copyRange reads its first batch, opening its snapshot, before its first await.
    await copyRange(this.db, indexPrefix(tableNumber, baseIndexNumber), sink);
    record.BackupStatus = 'AVAILABLE';
    await this.db.store.transact((tx) => tx.put(backupRecordKey(record.BackupArn), record));
  }

  /** Whether a SYSTEM backup still owns a dropped table's items (it copies, then erases them). */
  holdsTable(tableNumber: number): boolean {
    for (const record of this.records.values()) if (holdsDroppedTable(record) && record.source.tableNumber === tableNumber) return true;
    return false;
  }

  /** Removes SYSTEM backups whose 35 days are over (they are hidden from the moment they expire). */
  async purgeExpired(): Promise<number> {
    const nowMs = this.db.clock.now();
    let purged = 0;
    for (const record of [...this.records.values()]) {
      if (record.BackupStatus !== 'AVAILABLE' || record.expiresAtMs === undefined || record.expiresAtMs > nowMs || this.restoring(record)) continue;
      await this.delete(record);
      purged++;
    }
    return purged;
  }

  private visible(record: BackupRecord, nowMs: number): boolean {
    return record.BackupStatus !== 'DELETED' && (record.expiresAtMs === undefined || nowMs < record.expiresAtMs);
  }

  /** Marks a backup DELETED at once; its items are erased in the background. */
  async delete(record: BackupRecord): Promise<void> {
    record.BackupStatus = 'DELETED';
    await this.db.store.transact((tx) => tx.put(backupRecordKey(record.BackupArn), record));
    this.db.runInBackground(`erasing backup ${record.BackupArn}`, () => this.erase(record));
  }

  /** Finishes what a previous run left: deletions under way, and copies a restart cut short. */
  recover(): void {
    for (const record of this.records.values()) {
      // A SYSTEM backup's copy can always be redone: its dropped table's items stay until it is.
      if (holdsDroppedTable(record)) {
        this.db.runInBackground(`system backup ${record.BackupArn}`, () => this.finishSystem(record));
        continue;
      }
      if (record.BackupStatus === 'AVAILABLE') continue;
      record.BackupStatus = 'DELETED';
      this.db.runInBackground(`erasing backup ${record.BackupArn}`, () => this.erase(record));
    }
  }

  private async erase(record: BackupRecord): Promise<void> {
    await eraseRange(this.db.store, backupItemsRange(record.backupNumber));
    await this.db.store.transact((tx) => tx.delete(backupRecordKey(record.BackupArn)));
    this.records.delete(record.BackupArn);
  }
}

/** Writes a backup's items and keeps its count and size. */
function backupSink(record: BackupRecord): ItemSink {
  return {
    live: () => record.BackupStatus === 'CREATING',
    write(tx: KvTransaction, keySuffix: Buffer, item: StoredItem | undefined) {
      const key = backupItemKey(record.backupNumber, keySuffix);
      const before = tx.get(key) as StoredItem | undefined;
      if (before) {
        record.itemCount--;
        record.sizeBytes -= before[0];
      }
      if (item) {
        tx.put(key, item);
        record.itemCount++;
        record.sizeBytes += item[0];
      } else if (before) {
        tx.delete(key);
      }
    },
  };
}

/** A SYSTEM backup whose dropped table's items are still to be copied or erased. */
function holdsDroppedTable(record: BackupRecord): boolean {
  return record.BackupType === 'SYSTEM' && record.BackupStatus !== 'DELETED' && record.source.tableNumber !== undefined && !record.sourceErased;
}

/** What a backup keeps of its source table (its spec copied, as the table may change later). */
function sourceOf(table: TableRecord): BackupRecord['source'] {
  return { tableName: table.spec.TableName, tableId: table.tableId, tableArn: table.tableArn, createdAt: table.createdAt, spec: structuredClone(table.spec) };
}
