// Applying one item's change (put, update or delete) inside a write transaction: the item,
// its index entries, the table's counts and its change-log record move together.
import type { Item } from '../model/attribute-value.js';
import type { KvTransaction } from '../storage/index.js';
import type { ChangeOrigin } from '../backup/change-log.js';
import type { Catalog, TableRecord } from './catalog.js';
import { maintainIndexes, type IndexWrites } from './index-maintenance.js';
import type { StoredItem } from './stored-item.js';
import { tableStatsKey } from './storage-keys.js';
import { collectionDelta, recordCollectionChange } from './item-collection.js';
import { maintainExpiry } from './expiry-index.js';

export function applyItemChange(
  tx: KvTransaction,
  catalog: Catalog,
  table: TableRecord,
  storageKey: Buffer,
  before: StoredItem | undefined,
  after: Item | undefined,
  afterSize: number,
  origin: ChangeOrigin = 'user',
): IndexWrites {
  const stats = catalog.mutableStats(table.tableNumber);
  if (after) tx.put(storageKey, [afterSize, after] satisfies StoredItem);
  else if (before) tx.delete(storageKey);
  if (before) {
    stats.itemCount--;
    stats.sizeBytes -= before[0];
  }
  if (after) {
    stats.itemCount++;
    stats.sizeBytes += afterSize;
  }
  const writes = maintainIndexes(tx, table, stats, storageKey, before?.[1], after);
  if (table.spec.LocalSecondaryIndexes.length > 0) {
    const delta = collectionDelta(table, before?.[1], before?.[0] ?? 0, after, afterSize);
    recordCollectionChange(tx, table, (after ?? before?.[1])!, delta);
  }
  maintainExpiry(tx, table, storageKey, before?.[1], after);
  tx.put(tableStatsKey(table.tableNumber), stats);
  // The one extra put per item write: PITR, backups (and later streams) read it.
  catalog.changeLog.append(tx, table.tableNumber, storageKey, before?.[1], after, origin);
  return writes;
}
