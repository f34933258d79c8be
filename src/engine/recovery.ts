// Background work interrupted by a stop (a crash, kill -9, or a shutdown that did not wait):
// at start, index backfills and expiry-index builds resume, and the entries of tables and
// indexes deleted before their erasure finished are erased. Each of these is idempotent.
import type { Database } from './database.js';
import type { TableRecord } from './catalog.js';
import { backfillIndex, eraseIndex } from './index-backfill.js';
import { buildExpiryIndex, retargetExpiryIndex } from './expiry-index.js';
import { eraseTable } from './erase.js';
import { indexPrefix, prefixEnd, space } from './storage-keys.js';

/**
 * `ownedElsewhere`: table numbers whose items outlive the table on purpose (a SYSTEM backup
 * copies a dropped table's items, then erases them itself).
 */
export function resumeBackgroundWork(db: Database, ownedElsewhere: (tableNumber: number) => boolean): void {
  const tables = db.catalog.byNumber();
  for (const table of tables.values()) {
    const name = table.spec.TableName;
    for (const index of table.spec.GlobalSecondaryIndexes) {
      if (index.Backfilling || index.IndexStatus === 'CREATING') {
        db.runInBackground(`building index ${index.IndexName} of ${name}`, () => backfillIndex(db, table, index.IndexName));
      }
    }
    for (const indexNumber of orphanIndexNumbers(db, table)) {
      db.runInBackground(`erasing an index of ${name}`, () => eraseIndex(db, table.tableNumber, indexNumber));
    }
    const ttl = table.timeToLive;
    if (ttl && !ttl.expiryIndex?.complete) {
      // Records written before the expiry index existed get their first generation here.
      if (!ttl.expiryIndex) retargetExpiryIndex(table, ttl.AttributeName, ttl.Enabled);
      db.runInBackground(`indexing expiry times of ${name}`, () => buildExpiryIndex(db, table));
    }
  }
  for (const tableNumber of storedTableNumbers(db)) {
    if (!tables.has(tableNumber) && !ownedElsewhere(tableNumber)) db.runInBackground(`erasing deleted table #${tableNumber}`, () => eraseTable(db.store, tableNumber));
  }
}

/** Index numbers with entries that no index of the table uses any more. */
function orphanIndexNumbers(db: Database, table: TableRecord): number[] {
  const live = new Set([...table.spec.LocalSecondaryIndexes, ...table.spec.GlobalSecondaryIndexes].map((i) => table.indexNumbers[i.IndexName]));
  const stored = distinctPrefixes(db, indexPrefix(table.tableNumber, 1), prefixEnd(indexPrefix(table.tableNumber, 0).subarray(0, 5)), 6);
  return stored.map((prefix) => prefix[5]!).filter((n) => !live.has(n));
}

/** Table numbers with items or expiry entries. */
export function storedTableNumbers(db: Database): Set<number> {
  const numbers = new Set<number>();
  for (const tag of [space.items, space.expiries]) {
    for (const prefix of distinctPrefixes(db, Buffer.of(tag), Buffer.of(tag + 1), 5)) numbers.add(prefix.readUInt32BE(1));
  }
  return numbers;
}

/** The distinct `length`-byte prefixes of the keys in [start, end): one seek per prefix, not per key. */
function distinctPrefixes(db: Database, start: Buffer, end: Buffer, length: number): Buffer[] {
  const prefixes: Buffer[] = [];
  for (let from = start; ; ) {
    const first = [...db.store.range({ start: from, end, limit: 1 })][0];
    if (!first || first.key.length < length) return prefixes;
    const prefix = Buffer.from(first.key.subarray(0, length));
    prefixes.push(prefix);
    from = prefixEnd(prefix);
  }
}
