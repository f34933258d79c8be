// Keeping secondary indexes in step with a table write, inside the same transaction.
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { valuesEqual } from '../model/values.js';
import type { KvTransaction } from '../storage/index.js';
import type { TableRecord, TableStats } from './catalog.js';
import { hashElements, indexRangeBytes, isMultiAttribute, keyElements, rangeElements, type IndexSpec, type KeyElement } from './table-spec.js';
import { typeOf } from '../model/attribute-value.js';
import { partitionKeyBytesMax, sortKeyBytesMax } from '../model/limits.js';
import { indexEntryKey } from './storage-keys.js';
import type { StoredItem } from './stored-item.js';

/** Write units spent on each index by one table write (DynamoDB's INDEXES detail). */
export type IndexWrites = Map<IndexSpec, number>;

export function hasIndexKeys(item: Item, index: IndexSpec): boolean {
  // A multi-attribute key needs every one of its attributes (sparse otherwise).
  if (isMultiAttribute(index.keySchema)) return keyElements(index.keySchema).every((element) => item[element.name] !== undefined);
  return item[index.keySchema.partitionKey.name] !== undefined && (!index.keySchema.sortKey || item[index.keySchema.sortKey.name] !== undefined);
}

/** Whether an item's values can be this index's key: right types, within the key size limits. */
export function indexableBy(item: Item, index: IndexSpec): boolean {
  const fits = (element: KeyElement, bytesMax: number): boolean => {
    const value = item[element.name];
    if (value === undefined) return true; // absent: the item is simply not in the index
    if (typeOf(value) !== element.type) return false;
    const text = (value as { S?: string }).S;
    if (text !== undefined) return text !== '' && Buffer.byteLength(text) <= bytesMax;
    const binary = (value as { B?: string }).B;
    return binary === undefined || (binary !== '' && Buffer.from(binary, 'base64').length <= bytesMax);
  };
  const schema = index.keySchema;
  return (
    hashElements(schema).every((element) => fits(element, partitionKeyBytesMax)) &&
    rangeElements(schema).every((element) => fits(element, sortKeyBytesMax)) &&
    (schema.sortKeys === undefined || indexRangeBytes(item, schema.sortKeys) <= sortKeyBytesMax)
  );
}

/** The attributes an index holds of an item: its projection plus every key of table and index. */
export function projectForIndex(item: Item, index: IndexSpec, table: TableRecord): Item {
  if (index.Projection.ProjectionType === 'ALL') return item;
  const projected: Item = {};
  const keep = (name: string) => {
    const value = item[name];
    if (value !== undefined) projected[name] = value;
  };
  const tableKeys = table.spec.keySchema;
  keep(tableKeys.partitionKey.name);
  if (tableKeys.sortKey) keep(tableKeys.sortKey.name);
  for (const element of keyElements(index.keySchema)) keep(element.name);
  for (const name of index.Projection.NonKeyAttributes ?? []) keep(name);
  return projected;
}

/**
 * Updates every index of `table` for a change of one item from `before` to `after`
 * (either may be absent) and returns the write units each index consumed.
 */
export function maintainIndexes(
  tx: KvTransaction,
  table: TableRecord,
  stats: TableStats,
  baseKey: Buffer,
  before: Item | undefined,
  after: Item | undefined,
): IndexWrites {
  const writes: IndexWrites = new Map();
  const spec = table.spec;
  for (const index of spec.LocalSecondaryIndexes) maintainOne(tx, table, stats, index, baseKey, before, after, writes);
  for (const index of spec.GlobalSecondaryIndexes) maintainOne(tx, table, stats, index, baseKey, before, after, writes);
  return writes;
}

function maintainOne(
  tx: KvTransaction,
  table: TableRecord,
  stats: TableStats,
  index: IndexSpec,
  baseKey: Buffer,
  before: Item | undefined,
  after: Item | undefined,
  writes: IndexWrites,
): void {
  if (index.IndexStatus === 'DELETING') return;
  const indexNumber = table.indexNumbers[index.IndexName]!;
  const counts = (stats.indexes[indexNumber] ??= { itemCount: 0, sizeBytes: 0 });
  const oldKey = before && hasIndexKeys(before, index) ? indexEntryKey(table.tableNumber, indexNumber, index.keySchema, before, baseKey) : undefined;
  const newKey = after && hasIndexKeys(after, index) ? indexEntryKey(table.tableNumber, indexNumber, index.keySchema, after, baseKey) : undefined;
  let units = 0;
  if (oldKey && newKey && oldKey.equals(newKey) && sameProjection(before!, after!, index, table)) return;
  if (oldKey) {
    const old = tx.get(oldKey) as StoredItem | undefined;
    if (old) {
      counts.itemCount--;
      counts.sizeBytes -= old[0];
    }
    if (!newKey || !oldKey.equals(newKey)) {
      tx.delete(oldKey);
      units += 1;
    }
  }
  if (newKey) {
    const projected = projectForIndex(after!, index, table);
    const size = itemSize(projected);
    tx.put(newKey, [size, projected] satisfies StoredItem);
    counts.itemCount++;
    counts.sizeBytes += size;
    units += Math.max(1, Math.ceil(size / 1024));
  }
  if (units > 0) writes.set(index, units);
}

/** An update that changes neither the index key nor a projected attribute does not touch the index. */
function sameProjection(before: Item, after: Item, index: IndexSpec, table: TableRecord): boolean {
  const a = projectForIndex(before, index, table);
  const b = projectForIndex(after, index, table);
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    const other = b[name];
    if (other === undefined || !valuesEqual(a[name]!, other)) return false;
  }
  return true;
}
