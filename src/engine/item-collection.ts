// Item collections: every item with one partition key value, in the table and in its local
// secondary indexes. DynamoDB reports their size for tables with LSIs.
import type { Item } from '../model/attribute-value.js';
import type { TableRecord } from './catalog.js';
import type { Database } from './database.js';
import { partitionPrefix, prefixEnd, baseIndexNumber } from './storage-keys.js';
import type { StoredItem } from './stored-item.js';

/** Bytes held by the item collection of `item`'s partition key, LSI entries included. */
export function collectionBytes(db: Database, table: TableRecord, item: Item): number {
  const partitionValue = item[table.spec.keySchema.partitionKey.name]!;
  let total = 0;
  const numbers = [baseIndexNumber, ...table.spec.LocalSecondaryIndexes.map((index) => table.indexNumbers[index.IndexName]!)];
  for (const indexNumber of numbers) {
    const start = partitionPrefix(table.tableNumber, indexNumber, partitionValue);
    for (const { value } of db.store.range({ start, end: prefixEnd(start) })) total += (value as StoredItem)[0];
  }
  return total;
}
