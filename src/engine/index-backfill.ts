// Building a new global secondary index on a populated table: existing items are indexed in
// bounded batches while writes go on (those maintain the index themselves), then the index
// turns ACTIVE. Deleted indexes are erased the same way.
import type { Database } from './database.js';
import type { TableRecord } from './catalog.js';
import { indexableBy, maintainIndexes } from './index-maintenance.js';
import { indexPrefix, prefixEnd } from './storage-keys.js';
import { forEachItemBatch } from './key-batches.js';
import type { StoredItem } from './stored-item.js';
import { eraseRange } from './erase.js';

export async function backfillIndex(db: Database, table: TableRecord, indexName: string): Promise<void> {
  const index = table.spec.GlobalSecondaryIndexes.find((i) => i.IndexName === indexName);
  if (!index) return;
  const only = { ...table, spec: { ...table.spec, LocalSecondaryIndexes: [], GlobalSecondaryIndexes: [index] } };
  const live = await forEachItemBatch(db, table.tableNumber, (tx, keys) => {
    if (db.catalog.find(table.spec.TableName)?.tableNumber !== table.tableNumber) return false;
    if (!currentIndex(table, indexName)) return false; // deleted while building
    const stats = db.catalog.mutableStats(table.tableNumber);
    for (const key of keys) {
      const stored = tx.get(key) as StoredItem | undefined;
      // Remove-then-add makes the backfill idempotent with writes that already indexed the item.
      // Items whose attribute cannot be this index's key (wrong type, too long) stay out of
      // it, as DynamoDB leaves them out of a backfill instead of failing the index.
      if (stored && indexableBy(stored[1], index)) {
        maintainIndexes(tx, only, stats, key, stored[1], undefined);
        maintainIndexes(tx, only, stats, key, undefined, stored[1]);
      }
    }
    return true;
  });
  if (!live) return;
  // UpdateTable replaces the spec object: flip the index as it stands now, not our copy.
  const built = currentIndex(table, indexName);
  if (!built || db.catalog.find(table.spec.TableName)?.tableNumber !== table.tableNumber) return;
  built.IndexStatus = 'ACTIVE';
  delete built.Backfilling; // DynamoDB describes Backfilling only while it is true
  await db.catalog.save(table);
}

function currentIndex(table: TableRecord, indexName: string) {
  return table.spec.GlobalSecondaryIndexes.find((i) => i.IndexName === indexName);
}

export function eraseIndex(db: Database, tableNumber: number, indexNumber: number): Promise<void> {
  const start = indexPrefix(tableNumber, indexNumber);
  return eraseRange(db.store, { start, end: prefixEnd(start) });
}
