// Applying one item's change (put, update or delete) inside a write transaction: the item,
// its index entries and the table's counts move together.
import type { Item } from '../model/attribute-value.js';
import type { KvTransaction } from '../storage/index.js';
import type { TableRecord, TableStats } from './catalog.js';
import { maintainIndexes, type IndexWrites } from './index-maintenance.js';
import type { StoredItem } from './stored-item.js';
import { tableStatsKey } from './storage-keys.js';

export function applyItemChange(
  tx: KvTransaction,
  table: TableRecord,
  stats: TableStats,
  storageKey: Buffer,
  before: StoredItem | undefined,
  after: Item | undefined,
  afterSize: number,
): IndexWrites {
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
  tx.put(tableStatsKey(table.tableNumber), stats);
  return writes;
}
