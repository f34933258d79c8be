// Copying a table's items as they were at one change-log position, without blocking writes.
//
// Why it is exact: for every item, its state at position P is the old image of its first
// change after P if it has one, and otherwise its current state. So:
//   pass 1 copies the table's current items (one LMDB read snapshot, taken after P was committed);
//   pass 2 reads the log from P up to a barrier taken after pass 1 and, for each item's FIRST
//          change after P, writes that change's old image (or removes the item if it had none).
// An item unchanged between P and the barrier was copied as it was at P; any other item is
// corrected by its first change. Writers never wait: both passes read MVCC snapshots and
// write to the destination in bounded transactions.
//
// Point-in-time recovery uses the same two passes with P = the restore time, which is why the
// log is replayed backwards from the present (old images) instead of forwards from a base
// snapshot: restores are usually to a recent time, no periodic full copies are needed, and the
// work is proportional to the changes since the restore time. The set of items already corrected
// in pass 2 is held in memory (one entry per distinct item changed since P).
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { KvTransaction } from '../storage/index.js';
import type { StoredItem } from '../engine/stored-item.js';
import { baseIndexNumber, indexPrefix, itemKeySuffixOffset, prefixEnd } from '../engine/storage-keys.js';
import { itemSize } from '../model/item-size.js';
import { backupCopyBatchItemsMax } from '../model/limits.js';
import { readChanges, type LogPosition } from './change-log.js';

/** Where copied items go: a backup's item space or a restored table. */
export interface ItemSink {
  /** Writes (or, `item` absent, removes) one item inside `tx`; keys are item key suffixes. */
  write(tx: KvTransaction, keySuffix: Buffer, item: StoredItem | undefined): void;
  /** False once the destination is gone (a restored table deleted meanwhile): copying stops. */
  live(): boolean;
}

type Pending = [keySuffix: Buffer, item: StoredItem | undefined];

/** Pass 1 and 2 above; `asOf` must be committed and pinned against pruning by the caller. */
export async function copyTableAsOf(db: Database, table: TableRecord, asOf: LogPosition, sink: ItemSink): Promise<boolean> {
  if (!(await copyRange(db, indexPrefix(table.tableNumber, baseIndexNumber), sink))) return false;
  const until = await db.store.transact((tx) => db.catalog.changeLog.lastPosition(tx, table.tableNumber));
  const corrected = new Set<string>();
  let batch: Pending[] = [];
  for (const change of readChanges(db.store, table.tableNumber, asOf, until)) {
    const id = change.keySuffix.toString('latin1');
    if (corrected.has(id)) continue;
    corrected.add(id);
    const old = change.oldImage;
    batch.push([change.keySuffix, old ? [itemSize(old), old] : undefined]);
    if (batch.length >= backupCopyBatchItemsMax) {
      if (!(await flush(db, sink, batch))) return false;
      batch = [];
    }
  }
  return flush(db, sink, batch);
}

/** Copies every entry under `prefix` (a table's items, or a backup's) from one read snapshot. */
export async function copyRange(db: Database, prefix: Buffer, sink: ItemSink): Promise<boolean> {
  let batch: Pending[] = [];
  // One iterator for the whole copy: lmdb-js keeps its read transaction (an MVCC snapshot)
  // open until the iteration ends, across the awaits below, while writers go on.
  for (const { key, value } of db.store.range({ start: prefix, end: prefixEnd(prefix) })) {
    batch.push([Buffer.from(key.subarray(itemKeySuffixOffset)), value as StoredItem]);
    if (batch.length >= backupCopyBatchItemsMax) {
      if (!(await flush(db, sink, batch))) return false;
      batch = [];
    }
  }
  return flush(db, sink, batch);
}

async function flush(db: Database, sink: ItemSink, batch: Pending[]): Promise<boolean> {
  if (batch.length === 0) return sink.live();
  return db.store.transact((tx) => {
    if (!sink.live()) return false;
    for (const [keySuffix, item] of batch) sink.write(tx, keySuffix, item);
    return true;
  });
}
