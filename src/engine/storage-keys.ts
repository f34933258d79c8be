// The key spaces of the store (docs/KEYS.md is the spec). Every key starts with a one-byte
// space tag; retired tags are never reused.
import { createHash } from 'node:crypto';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { encodeSortKey, partitionKeyDigest, partitionTupleDigest, sortKeyEncodedBytesMax } from '../model/key-encoding.js';
import { indexRangeElementsMax, storageKeyBytesMax } from '../model/limits.js';
import { hashElements, rangeElements, type KeySchema } from './table-spec.js';

export const space = {
  sequence: 0x00,
  catalog: 0x01,
  tableStats: 0x02,
  transactionTokens: 0x03,
  items: 0x10,
  itemCollections: 0x11,
  expiries: 0x12,
  changeLog: 0x20,
  backups: 0x21,
  backupItems: 0x22,
  exports: 0x23,
  imports: 0x24,
  streams: 0x25,
} as const;

const digestBytes = 16;
/** Items and index entries: space(1) table(4) index(1) partition digest(16) sort key [base key digest(16)]. */
const itemPrefixBytes = 1 + 4 + 1;
export const baseIndexNumber = 0;

// Relation between limits, checked at load: the longest index entry key must fit LMDB's key.
// A multi-attribute GSI key's RANGE values share the 1,024-byte sort key limit (aggregated,
// item-support.ts); each further value adds at most a terminator or a whole number.
const longestIndexSortBytes = sortKeyEncodedBytesMax(true) + (indexRangeElementsMax - 1) * sortKeyEncodedBytesMax(true, 0);
const longestIndexKeyBytes = itemPrefixBytes + digestBytes + longestIndexSortBytes + digestBytes;
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

/**
 * The prefix shared by all items of one partition of a table or index (a multi-attribute GSI
 * key's partition is the tuple of its HASH values).
 */
export function partitionPrefix(tableNumber: number, indexNumber: number, partitionValues: readonly AttributeValue[]): Buffer {
  return Buffer.concat([indexPrefix(tableNumber, indexNumber), partitionTupleDigest(partitionValues)]);
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
  // Multi-attribute keys: the digest of the HASH tuple, then each RANGE value self-delimiting,
  // in key schema order, so entries sort by the RANGE attributes in order.
  const partitionValues = hashElements(indexSchema).map((element) => item[element.name]!);
  const parts = [indexPrefix(tableNumber, indexNumber), partitionTupleDigest(partitionValues)];
  for (const element of rangeElements(indexSchema)) parts.push(encodeSortKey(item[element.name]!, true));
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

// ---- Time to Live expiry index (src/engine/expiry-index.ts) ---------------------------------

const expiryPrefixBytes = 1 + 4 + 4;

/** `12 | table(4) | generation(4)`: one generation of a table's expiry index. */
export function expiryPrefix(tableNumber: number, generation: number): Buffer {
  const key = Buffer.allocUnsafe(expiryPrefixBytes);
  key[0] = space.expiries;
  key.writeUInt32BE(tableNumber, 1);
  key.writeUInt32BE(generation, 5);
  return key;
}

/** `12 | table(4) | generation(4) | whole expiry seconds (uint64 BE) | item key suffix`. */
export function expiryKey(tableNumber: number, generation: number, seconds: number, itemKeySuffix: Buffer): Buffer {
  return Buffer.concat([expiryPrefix(tableNumber, generation), expirySecondsKey(seconds), itemKeySuffix]);
}

/** The first key of a generation at or after `seconds`. */
export function expiryBound(tableNumber: number, generation: number, seconds: number): Buffer {
  return Buffer.concat([expiryPrefix(tableNumber, generation), expirySecondsKey(seconds)]);
}

function expirySecondsKey(seconds: number): Buffer {
  const whole = Math.max(0, Math.floor(seconds)); // below 2^53: no BigInt per write
  const bytes = Buffer.allocUnsafe(8);
  bytes.writeUInt32BE(Math.floor(whole / 0x1_0000_0000), 0);
  bytes.writeUInt32BE(whole >>> 0, 4);
  return bytes;
}

/** The item key suffix an expiry entry points at. */
export function expiryEntrySuffix(key: Buffer): Buffer {
  return key.subarray(expiryPrefixBytes + 8);
}

/** Every expiry entry of a table, all generations. */
export function expiryTableRange(tableNumber: number): { start: Buffer; end: Buffer } {
  return { start: expiryPrefix(tableNumber, 0).subarray(0, 5), end: prefixEnd(expiryPrefix(tableNumber, 0).subarray(0, 5)) };
}

// ---- Change log, backups (src/backup/) -------------------------------------------------------

/** Bytes of a table item's storage key before its per-item part: space(1) table(4). */
export const itemKeySuffixOffset = 5;
/** A change-log position: commit time (ms) and a sequence number within that millisecond. */
const changeLogPrefixBytes = 1 + 4;
const changeLogKeyBytes = changeLogPrefixBytes + 8 + 4;

function tableKeyPrefix(tag: number, tableNumber: number): Buffer {
  const key = Buffer.allocUnsafe(changeLogPrefixBytes);
  key[0] = tag;
  key.writeUInt32BE(tableNumber, 1);
  return key;
}

/** `20 | table(4) | commit ms (uint64 BE) | sequence (uint32 BE)`: one change of one item. */
export function changeLogKey(tableNumber: number, commitMs: number, sequence: number): Buffer {
  const key = Buffer.allocUnsafe(changeLogKeyBytes);
  key[0] = space.changeLog;
  key.writeUInt32BE(tableNumber, 1);
  // uint64 BE without a BigInt per write: milliseconds stay below 2^53.
  key.writeUInt32BE(Math.floor(commitMs / 0x1_0000_0000), 5);
  key.writeUInt32BE(commitMs >>> 0, 9);
  key.writeUInt32BE(sequence, 13);
  return key;
}

/** The table number, commit ms and sequence of a change-log key. */
export function decodeChangeLogKey(key: Buffer): { tableNumber: number; commitMs: number; sequence: number } {
  return { tableNumber: key.readUInt32BE(1), commitMs: key.readUInt32BE(5) * 0x1_0000_0000 + key.readUInt32BE(9), sequence: key.readUInt32BE(13) };
}

/** Every change of one table. */
export function changeLogTableRange(tableNumber: number): { start: Buffer; end: Buffer } {
  return { start: tableKeyPrefix(space.changeLog, tableNumber), end: tableKeyPrefix(space.changeLog, tableNumber + 1) };
}

export const changeLogRange = { start: Buffer.of(space.changeLog), end: Buffer.of(space.changeLog + 1) };

/** `00 03`: the last backup number handed out (backup data is keyed by number). */
export const backupSequenceKey = Buffer.of(space.sequence, 0x03);

/** `21 | backup ARN (UTF-8)`: a backup's record. */
export function backupRecordKey(backupArn: string): Buffer {
  return Buffer.concat([Buffer.of(space.backups), Buffer.from(backupArn, 'utf8')]);
}

export const backupRecordRange = { start: Buffer.of(space.backups), end: Buffer.of(space.backups + 1) };

/** `22 | backup number(4) | item key suffix`: one item of a backup, as the table stored it. */
export function backupItemKey(backupNumber: number, itemKeySuffix: Buffer): Buffer {
  return Buffer.concat([tableKeyPrefix(space.backupItems, backupNumber), itemKeySuffix]);
}

/** Every item of one backup. */
export function backupItemsRange(backupNumber: number): { start: Buffer; end: Buffer } {
  return { start: tableKeyPrefix(space.backupItems, backupNumber), end: tableKeyPrefix(space.backupItems, backupNumber + 1) };
}

// ---- Export and import records (src/backup/exports.ts, src/backup/imports.ts) ------------------

/** `23 | export ARN (UTF-8)`: an ExportTableToPointInTime job's record. */
export function exportRecordKey(exportArn: string): Buffer {
  return Buffer.concat([Buffer.of(space.exports), Buffer.from(exportArn, 'utf8')]);
}

export const exportRecordRange = { start: Buffer.of(space.exports), end: Buffer.of(space.exports + 1) };

/** `24 | import ARN (UTF-8)`: an ImportTable job's record. */
export function importRecordKey(importArn: string): Buffer {
  return Buffer.concat([Buffer.of(space.imports), Buffer.from(importArn, 'utf8')]);
}

export const importRecordRange = { start: Buffer.of(space.imports), end: Buffer.of(space.imports + 1) };

// ---- Stream records (src/streams/stream-registry.ts) --------------------------------------------

/** `25 | stream ARN (UTF-8)`: one DynamoDB Streams stream (one enable period of a table). */
export function streamRecordKey(streamArn: string): Buffer {
  return Buffer.concat([Buffer.of(space.streams), Buffer.from(streamArn, 'utf8')]);
}

export const streamRecordRange = { start: Buffer.of(space.streams), end: Buffer.of(space.streams + 1) };
