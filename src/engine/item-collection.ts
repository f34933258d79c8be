// Item collections: every item with one partition key value, in the table and in its local
// secondary indexes. For tables with LSIs DynamoDB caps a collection at 10 GB and reports its
// size; we keep a counter per collection, moved in the same transaction as the items.
import type { Item } from '../model/attribute-value.js';
import { DynamoError } from '../model/errors.js';
import { itemSize } from '../model/item-size.js';
import { partitionKeyDigest } from '../model/key-encoding.js';
import type { KvTransaction } from '../storage/index.js';
import type { TableRecord } from './catalog.js';
import type { Database } from './database.js';
import { hasIndexKeys, projectForIndex } from './index-maintenance.js';
import { space } from './storage-keys.js';

/** Counter key: space tag, table number, partition digest (docs/KEYS.md). */
function collectionKey(tableNumber: number, partitionDigest: Buffer): Buffer {
  const key = Buffer.allocUnsafe(1 + 4 + partitionDigest.length);
  key[0] = space.itemCollections;
  key.writeUInt32BE(tableNumber, 1);
  partitionDigest.copy(key, 5);
  return key;
}

function keyOfItem(table: TableRecord, item: Item): Buffer {
  return collectionKey(table.tableNumber, partitionKeyDigest(item[table.spec.keySchema.partitionKey.name]!));
}

/** How many bytes a change moves into (or out of) its collection: the item plus its LSI entries. */
export function collectionDelta(table: TableRecord, before: Item | undefined, beforeSize: number, after: Item | undefined, afterSize: number): number {
  let delta = afterSize - beforeSize;
  for (const index of table.spec.LocalSecondaryIndexes) {
    if (after && hasIndexKeys(after, index)) delta += itemSize(projectForIndex(after, index, table));
    if (before && hasIndexKeys(before, index)) delta -= itemSize(projectForIndex(before, index, table));
  }
  return delta;
}

/** Refuses a change that would grow a collection past `bytesMax` (ItemCollectionSizeLimitExceededException). */
export function checkCollectionGrowth(tx: KvTransaction, table: TableRecord, item: Item, delta: number, bytesMax: number): void {
  if (delta <= 0) return;
  const current = (tx.get(keyOfItem(table, item)) as number | undefined) ?? 0;
  // unverified: the message text ("Collection size exceeded." is what SDK stack traces show).
  if (current + delta > bytesMax) throw new DynamoError('ItemCollectionSizeLimitExceededException', 'Collection size exceeded.');
}

/** Moves a collection's counter by `delta` (tables with LSIs only). */
export function recordCollectionChange(tx: KvTransaction, table: TableRecord, item: Item, delta: number): void {
  if (delta === 0) return;
  const key = keyOfItem(table, item);
  const next = ((tx.get(key) as number | undefined) ?? 0) + delta;
  if (next > 0) tx.put(key, next);
  else tx.delete(key);
}

/** Bytes held by the item collection of `item`'s partition key, LSI entries included. */
export function collectionBytes(db: Database, table: TableRecord, item: Item): number {
  return (db.store.get(keyOfItem(table, item)) as number | undefined) ?? 0;
}
