// Restoring into a NEW table: it is created through the catalog like CreateTable, stays
// CREATING (invisible to the data plane) while its items are written through the normal item
// path (so its indexes, counts and change log are maintained as for any write), then turns
// ACTIVE. The source, table or backup, is only read.
import type { Database } from '../engine/database.js';
import type { RestoreSummary, TableRecord } from '../engine/catalog.js';
import type { TableSpec } from '../engine/table-spec.js';
import type { StoredItem } from '../engine/stored-item.js';
import { applyItemChange } from '../engine/item-change.js';
import { eraseTable } from '../engine/erase.js';
import { indexPrefix, baseIndexNumber, itemKeySuffixOffset } from '../engine/storage-keys.js';
import { DynamoError } from '../model/errors.js';
import type { KvTransaction } from '../storage/index.js';
import type { ItemSink } from './snapshot.js';

/** Fills the new table; resolves false if it stopped because the table went away. */
export type Fill = (sink: ItemSink) => Promise<boolean>;

export async function restoreIntoNewTable(
  db: Database,
  spec: TableSpec,
  summary: Omit<RestoreSummary, 'RestoreInProgress'>,
  fill: Fill,
): Promise<{ table: TableRecord; done: Promise<void> }> {
  let table: TableRecord;
  try {
    table = await db.catalog.create(spec, db.clock.now(), { status: 'CREATING', restoreSummary: { ...summary, RestoreInProgress: true } });
  } catch (error) {
    // A name taken between the request's check and the create.
    if (error instanceof DynamoError && error.name === 'ResourceInUseException') throw tableAlreadyExists(spec.TableName);
    throw error;
  }
  const live = () => db.catalog.find(spec.TableName) === table;
  const done = fill(tableSink(db, table, live)).then(
    async (completed) => {
      if (!completed || !live()) return;
      table.status = 'ACTIVE';
      table.restoreSummary = { ...table.restoreSummary!, RestoreInProgress: false };
      await db.catalog.save(table);
    },
    async (error: unknown) => {
      // A restore that failed half way leaves no half table behind.
      if (live()) {
        await db.catalog.remove(table);
        await eraseTable(db.store, table.tableNumber);
      }
      throw error;
    },
  );
  return { table, done };
}

/** Removes tables whose restore a restart cut short (they cannot be resumed: their source read is gone). */
export function recoverRestores(db: Database): void {
  for (const name of db.catalog.names()) {
    const table = db.catalog.find(name);
    if (table?.status !== 'CREATING' || !table.restoreSummary?.RestoreInProgress) continue;
    db.log(`removing table ${name}: its restore was interrupted by a restart`);
    db.runInBackground(`removing interrupted restore ${name}`, async () => {
      await db.catalog.remove(table);
      await eraseTable(db.store, table.tableNumber);
    });
  }
}

export function tableAlreadyExists(tableName: string): DynamoError {
  return new DynamoError('TableAlreadyExistsException', `Table already exists: ${tableName}`);
}

function tableSink(db: Database, table: TableRecord, live: () => boolean): ItemSink {
  const prefix = indexPrefix(table.tableNumber, baseIndexNumber).subarray(0, itemKeySuffixOffset);
  return {
    live,
    write(tx: KvTransaction, keySuffix: Buffer, item: StoredItem | undefined) {
      const key = Buffer.concat([prefix, keySuffix]);
      const before = tx.get(key) as StoredItem | undefined;
      if (!item && !before) return;
      applyItemChange(tx, db.catalog, table, key, before, item?.[1], item?.[0] ?? 0);
    },
  };
}
