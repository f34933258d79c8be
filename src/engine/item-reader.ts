// Reading pages of items for Query and Scan: the storage key range a key condition or a scan
// segment covers, and the page loop (Limit, the 1 MB page, filter, projection, the entry a page
// stops at). Plain functions over the store; the api/ layer validates and shapes the response.
//
// Ranges follow the key layout of storage-keys.ts (docs/KEYS.md): a table's sort key is last in
// its key and written raw (S, B) or self-delimiting (N); an index's sort key is always
// self-delimiting and followed by the base key digest. Sort conditions become [start, end)
// byte ranges inside one partition prefix, so Query never reads an item it will not return
// (before the filter), just as DynamoDB does.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { encodeSortKey } from '../model/key-encoding.js';
import { pageBytesMax } from '../model/limits.js';
import { compareValues } from '../model/values.js';
import type { KvStore } from '../storage/index.js';
import type { TableRecord } from './catalog.js';
import { indexEntryKey, indexPrefix, itemKey, partitionDigestOffset, partitionPrefix, prefixEnd } from './storage-keys.js';
import type { StoredItem } from './stored-item.js';
import { keyElements, type IndexSpec, type KeySchema } from './table-spec.js';

/** Parallel scan: TotalSegments is 1..1,000,000 (botocore shape ScanTotalSegments). */
export { totalSegmentsMax } from '../model/limits.js';

/** What a Query or Scan reads: the table itself or one of its secondary indexes. */
export interface ReadSource {
  table: TableRecord;
  /** Undefined when reading the table. */
  index: IndexSpec | undefined;
  global: boolean;
  indexNumber: number;
  /** Key schema of what is read (the index's for an index). */
  keySchema: KeySchema;
}

export type SortOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface SortCondition {
  op: SortOperator;
  values: readonly AttributeValue[];
}

/** A [start, end) range of storage keys. */
export interface KeyRange {
  start: Buffer;
  end: Buffer;
}

const zeroByte = Buffer.of(0);

/** Index sort keys are followed by the base key digest; the table's sort key is last. */
function sortKeyIsLast(source: ReadSource): boolean {
  return source.index === undefined;
}

/** The storage key range of one partition restricted by a sort key condition. */
export function queryRange(
  source: ReadSource,
  partitionValues: readonly AttributeValue[],
  sortPrefix: readonly AttributeValue[],
  sort: SortCondition | undefined,
): KeyRange {
  // A multi-attribute GSI key: the leading RANGE values given with `=` extend the prefix (each
  // is self-delimiting in an index key), and `sort` applies to the next RANGE attribute.
  const prefix = Buffer.concat([
    partitionPrefix(source.table.tableNumber, source.indexNumber, partitionValues),
    ...sortPrefix.map((value) => encodeSortKey(value, true)),
  ]);
  const partitionEnd = prefixEnd(prefix);
  if (sort === undefined) return { start: prefix, end: partitionEnd };
  const last = sortKeyIsLast(source);
  // First key whose sort value is `value`, and first key past every key whose sort value is `value`.
  const at = (value: AttributeValue): Buffer => Buffer.concat([prefix, encodeSortKey(value, !last)]);
  const after = (value: AttributeValue): Buffer => {
    // A raw last component may be continued by longer values, so step past exactly this value;
    // a self-delimiting one is a prefix only of keys holding this very value.
    return last ? Buffer.concat([prefix, encodeSortKey(value, false), zeroByte]) : prefixEnd(at(value));
  };
  const [first, second] = sort.values as [AttributeValue, AttributeValue | undefined];
  switch (sort.op) {
    case 'EQ':
      return { start: at(first), end: after(first) };
    case 'LT':
      return { start: prefix, end: at(first) };
    case 'LE':
      return { start: prefix, end: after(first) };
    case 'GT':
      return { start: after(first), end: partitionEnd };
    case 'GE':
      return { start: at(first), end: partitionEnd };
    case 'BETWEEN':
      return { start: at(first), end: after(second!) };
    case 'BEGINS_WITH': {
      // S and B only: the escaped bytes of a prefix are a byte prefix of the escaped value.
      const encoded = encodeSortKey(first, !last);
      const bytes = last ? encoded : encoded.subarray(0, encoded.length - 2); // drop the terminator
      const start = Buffer.concat([prefix, bytes]);
      const end = prefixEnd(start);
      return { start, end: Buffer.compare(end, partitionEnd) < 0 ? end : partitionEnd };
    }
  }
}

/** Whether a sort key value satisfies a sort condition (checks a Query's ExclusiveStartKey). */
export function sortConditionHolds(value: AttributeValue, sort: SortCondition): boolean {
  const [first, second] = sort.values as [AttributeValue, AttributeValue | undefined];
  switch (sort.op) {
    case 'EQ':
      return compareValues(value, first) === 0;
    case 'LT':
      return compareValues(value, first) < 0;
    case 'LE':
      return compareValues(value, first) <= 0;
    case 'GT':
      return compareValues(value, first) > 0;
    case 'GE':
      return compareValues(value, first) >= 0;
    case 'BETWEEN':
      return compareValues(value, first) >= 0 && compareValues(value, second!) <= 0;
    case 'BEGINS_WITH':
      if ('S' in value && 'S' in first) return Buffer.from(value.S, 'utf8').subarray(0, Buffer.byteLength(first.S)).equals(Buffer.from(first.S, 'utf8'));
      if ('B' in value && 'B' in first) {
        const bytes = Buffer.from(value.B, 'base64');
        const prefix = Buffer.from(first.B, 'base64');
        return bytes.subarray(0, prefix.length).equals(prefix);
      }
      return false;
  }
}

function uint64(value: bigint): Buffer {
  const bytes = Buffer.allocUnsafe(8);
  bytes.writeBigUInt64BE(value);
  return bytes;
}

/**
 * The storage key range of a whole table or index, or of one parallel-scan segment: segments
 * split the 64-bit space of the partition digest's first 8 bytes into `totalSegments`
 * contiguous ranges, so they are disjoint and together complete.
 */
export function scanRange(source: ReadSource, segment = 0, totalSegments = 1): KeyRange {
  const prefix = indexPrefix(source.table.tableNumber, source.indexNumber);
  const end = prefixEnd(prefix);
  if (totalSegments <= 1) return { start: prefix, end };
  const space = 1n << 64n;
  const total = BigInt(totalSegments);
  const low = (BigInt(segment) * space) / total;
  const start = segment === 0 ? prefix : Buffer.concat([prefix, uint64(low)]);
  if (segment === totalSegments - 1) return { start, end };
  const high = (BigInt(segment + 1) * space) / total;
  return { start, end: Buffer.concat([prefix, uint64(high)]) };
}

/** Whether a storage key lies in a range. */
export function rangeHolds(range: KeyRange, key: Buffer): boolean {
  return Buffer.compare(range.start, key) <= 0 && Buffer.compare(key, range.end) < 0;
}

/** The storage key of the entry an ExclusiveStartKey names (table keys plus index keys). */
export function entryKeyOf(source: ReadSource, key: Item): Buffer {
  const table = source.table;
  const baseKey = itemKey(table.tableNumber, table.spec.keySchema, key);
  if (source.index === undefined) return baseKey;
  return indexEntryKey(table.tableNumber, source.indexNumber, source.keySchema, key, baseKey);
}

/** Narrows a range to the keys after (before, when reverse) an ExclusiveStartKey's entry. */
export function resumeAfter(range: KeyRange, entryKey: Buffer, reverse: boolean): KeyRange {
  if (reverse) return Buffer.compare(entryKey, range.end) < 0 ? { start: range.start, end: entryKey } : range;
  // Keys are unique byte strings: the smallest key greater than K is K followed by 00.
  const next = Buffer.concat([entryKey, zeroByte]);
  return Buffer.compare(next, range.start) > 0 ? { start: next, end: range.end } : range;
}

/** The first 8 bytes of a key's partition digest (tests and diagnostics). */
export function segmentCoordinate(key: Buffer): bigint {
  return key.readBigUInt64BE(partitionDigestOffset);
}

export interface PageRequest {
  range: KeyRange;
  reverse: boolean;
  /** Items to read (evaluated before the filter); undefined: no limit but the 1 MB page. */
  limit: number | undefined;
  /** Read each entry's full item from the table (an LSI asked for what it does not project). */
  fetchFromTable: boolean;
  /** FilterExpression / QueryFilter / ScanFilter; undefined keeps every item. */
  accept: ((item: Item) => boolean) | undefined;
  /** Projection of a returned item; undefined returns the item read. */
  shape: ((item: Item) => Item) | undefined;
  /** Select COUNT: count only. */
  countOnly: boolean;
}

export interface Page {
  items: Item[];
  count: number;
  scannedCount: number;
  /** The last entry read when the page stopped early (Limit or 1 MB), for LastEvaluatedKey. */
  stoppedAt: Item | undefined;
  /** Bytes of the entries read from the source (the table or the index). */
  sourceBytes: number;
  /** Bytes of the items fetched from the table for an index read. */
  fetchedBytes: number;
}

/**
 * Reads one page: entries in key order from the range, until Limit entries were read or the
 * data read reached 1 MB (the entry that crosses the line is still returned, and the page
 * stops after it), filtering and projecting as asked. A page that stopped early reports the
 * entry it stopped at, whether or not more entries follow, as DynamoDB does.
 */
export function readPage(store: KvStore, source: ReadSource, request: PageRequest): Page {
  const { accept, shape, countOnly, limit } = request;
  const items: Item[] = [];
  let count = 0;
  let scannedCount = 0;
  let sourceBytes = 0;
  let fetchedBytes = 0;
  let stoppedAt: Item | undefined;
  const table = source.table;
  // An empty range (e.g. a start key past the end) reads nothing.
  if (Buffer.compare(request.range.start, request.range.end) >= 0) return { items, count, scannedCount, stoppedAt, sourceBytes, fetchedBytes };
  const entries = store.range({ start: request.range.start, end: request.range.end, reverse: request.reverse, limit });
  for (const entry of entries) {
    const stored = entry.value as StoredItem;
    sourceBytes += stored[0];
    let item = stored[1];
    if (request.fetchFromTable) {
      const full = store.get(itemKey(table.tableNumber, table.spec.keySchema, item)) as StoredItem | undefined;
      if (full !== undefined) {
        item = full[1];
        fetchedBytes += full[0];
      }
    }
    scannedCount++;
    if (accept === undefined || accept(item)) {
      count++;
      if (!countOnly) items.push(shape === undefined ? item : shape(item));
    }
    if (scannedCount === limit || sourceBytes + fetchedBytes >= pageBytesMax) {
      stoppedAt = stored[1];
      break;
    }
  }
  return { items, count, scannedCount, stoppedAt, sourceBytes, fetchedBytes };
}

/** LastEvaluatedKey: the table's key attributes of the entry, plus the index's for an index. */
export function lastEvaluatedKey(source: ReadSource, entry: Item): Item {
  const key: Item = {};
  const copy = (name: string): void => {
    const value = entry[name];
    if (value !== undefined) key[name] = value;
  };
  const tableKeys = source.table.spec.keySchema;
  copy(tableKeys.partitionKey.name);
  if (tableKeys.sortKey !== undefined) copy(tableKeys.sortKey.name);
  if (source.index !== undefined) for (const element of keyElements(source.keySchema)) copy(element.name);
  return key;
}
