// On-demand backups: records (space 21) and their items (space 22), taken without blocking
// writes and kept until deleted, also after their source table is gone.
import { randomBytes } from 'node:crypto';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { TableSpec } from '../engine/table-spec.js';
import type { StoredItem } from '../engine/stored-item.js';
import { eraseRange } from '../engine/erase.js';
import { backupItemKey, backupItemsRange, backupRecordKey, backupRecordRange, backupSequenceKey } from '../engine/storage-keys.js';
import type { KvTransaction } from '../storage/index.js';
import type { RetentionPins } from './retention.js';
import { copyTableAsOf, type ItemSink } from './snapshot.js';

export type BackupStatus = 'CREATING' | 'AVAILABLE' | 'DELETED';

/** What the store keeps per backup: DynamoDB's names where the wire shows them. */
export interface BackupRecord {
  BackupArn: string;
  BackupName: string;
  BackupStatus: BackupStatus;
  BackupType: 'USER';
  /** The instant the backup's data is from (ms). */
  createdAtMs: number;
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
    return record && record.BackupStatus !== 'DELETED' ? record : undefined;
  }

  /** Backups not deleted, oldest first (ties by ARN). */
  list(): BackupRecord[] {
    return [...this.records.values()]
      .filter((record) => record.BackupStatus !== 'DELETED')
      .sort((a, b) => a.createdAtMs - b.createdAtMs || (a.BackupArn < b.BackupArn ? -1 : a.BackupArn > b.BackupArn ? 1 : 0));
  }

  inUse(record: BackupRecord): boolean {
    return record.BackupStatus === 'CREATING' || (this.readers.get(record.BackupArn) ?? 0) > 0;
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
        source: {
          tableName: table.spec.TableName,
          tableId: table.tableId,
          tableArn: table.tableArn,
          createdAt: table.createdAt,
          spec: structuredClone(table.spec),
          ...(table.timeToLive && { timeToLive: { ...table.timeToLive } }),
        },
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

  /** Marks a backup DELETED at once; its items are erased in the background. */
  async delete(record: BackupRecord): Promise<void> {
    record.BackupStatus = 'DELETED';
    await this.db.store.transact((tx) => tx.put(backupRecordKey(record.BackupArn), record));
    this.db.runInBackground(`erasing backup ${record.BackupArn}`, () => this.erase(record));
  }

  /** Finishes what a previous run left: deletions under way, and copies a restart cut short. */
  recover(): void {
    for (const record of this.records.values()) {
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
