// The key spaces of the store (docs/KEYS.md is the spec). Every key starts with a one-byte
// space tag; retired tags are never reused.
import { createHash } from 'node:crypto';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { encodeSortKey, partitionKeyDigest, sortKeyEncodedBytesMax } from '../model/key-encoding.js';
import { storageKeyBytesMax } from '../model/limits.js';
import type { KeySchema } from './table-spec.js';

export const space = {
  sequence: 0x00,
  catalog: 0x01,
  tableStats: 0x02,
  transactionTokens: 0x03,
  items: 0x10,
} as const;

const digestBytes = 16;
/** Items and index entries: space(1) table(4) index(1) partition digest(16) sort key [base key digest(16)]. */
const itemPrefixBytes = 1 + 4 + 1;
export const baseIndexNumber = 0;

// Relation between limits, checked at load: the longest index entry key must fit LMDB's key.
const longestIndexKeyBytes = itemPrefixBytes + digestBytes + sortKeyEncodedBytesMax(true) + digestBytes;
if (longestIndexKeyBytes > storageKeyBytesMax) {
  throw new Error(`key layout does not fit the store: ${longestIndexKeyBytes} > ${storageKeyBytesMax}`);
}

export function catalogKey(tableName: string): Buffer {
  return Buffer.concat([Buffer.of(space.catalog), Buffer.from(tableName, 'utf8')]);
}

export const catalogRange = { start: Buffer.of(space.catalog), end: Buffer.of(space.catalog + 1) };
export const tableSequenceKey = Buffer.of(space.sequence, 0x01);

export function tableStatsKey(tableNumber: number): Buffer {
  const key = Buffer.allocUnsafe(5);
  key[0] = space.tableStats;
  key.writeUInt32BE(tableNumber, 1);
  return key;
}

/** Prefix of every entry of one table's index (index 0 is the table itself). */
export function indexPrefix(tableNumber: number, indexNumber: number): Buffer {
  const key = Buffer.allocUnsafe(itemPrefixBytes);
  key[0] = space.items;
  key.writeUInt32BE(tableNumber, 1);
  key[5] = indexNumber;
  return key;
}

/** All entries of a table, its indexes included. */
export function tableRange(tableNumber: number): { start: Buffer; end: Buffer } {
  const start = indexPrefix(tableNumber, 0).subarray(0, 5);
  const end = Buffer.from(start);
  end.writeUInt32BE(tableNumber + 1, 1);
  return { start, end };
}

/** The storage key of a table item; `key` holds the schema's key attributes. */
export function itemKey(tableNumber: number, schema: KeySchema, key: Item): Buffer {
  const parts = [indexPrefix(tableNumber, baseIndexNumber), partitionKeyDigest(key[schema.partitionKey.name]!)];
  if (schema.sortKey) parts.push(encodeSortKey(key[schema.sortKey.name]!, false));
  return Buffer.concat(parts);
}

/** The prefix shared by all items of one partition of a table or index. */
export function partitionPrefix(tableNumber: number, indexNumber: number, partitionValue: AttributeValue): Buffer {
  return Buffer.concat([indexPrefix(tableNumber, indexNumber), partitionKeyDigest(partitionValue)]);
}

/**
 * The storage key of an index entry. Entries with equal index keys are told apart by a
 * digest of the base item's storage key, appended last (the sort key before it is
 * self-delimiting so that order is by index sort key first).
 */
export function indexEntryKey(
  tableNumber: number,
  indexNumber: number,
  indexSchema: KeySchema,
  item: Item,
  baseStorageKey: Buffer,
): Buffer {
  const parts = [indexPrefix(tableNumber, indexNumber), partitionKeyDigest(item[indexSchema.partitionKey.name]!)];
  if (indexSchema.sortKey) parts.push(encodeSortKey(item[indexSchema.sortKey.name]!, true));
  parts.push(baseKeyDigest(baseStorageKey));
  return Buffer.concat(parts);
}

function baseKeyDigest(baseStorageKey: Buffer): Buffer {
  return createHash('sha256').update(baseStorageKey.subarray(itemPrefixBytes)).digest().subarray(0, digestBytes);
}

/** Smallest key strictly greater than every key starting with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.concat([prefix, Buffer.of(0xff)]);
}

/** The first 8 bytes of a partition digest, as the scan-segment coordinate. */
export const partitionDigestOffset = itemPrefixBytes;
