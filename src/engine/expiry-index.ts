// Time to Live's expiry index: one entry per item whose TTL attribute holds a number, ordered by
// expiry second, so a sweep reads what has expired instead of the whole table. Entries belong
// to a generation: enabling TTL on another attribute starts a new generation, which a
// background backfill fills while writes maintain it, and the older ones are erased.
// The index is kept while TTL is disabled, so enabling it again on the same attribute is free.
import type { Item } from '../model/attribute-value.js';
import type { KvTransaction } from '../storage/index.js';
import type { Database } from './database.js';
import type { TableRecord } from './catalog.js';
import { eraseRange } from './erase.js';
import { expiryKey, expiryPrefix, expiryTableRange, itemKeySuffixOffset, prefixEnd } from './storage-keys.js';
import { forEachItemBatch } from './key-batches.js';
import type { StoredItem } from './stored-item.js';

/** The whole second an item's TTL attribute names, if it holds a usable number. */
export function indexedExpirySecond(item: Item, attributeName: string): number | undefined {
  const value = item[attributeName];
  if (!value || !('N' in value)) return undefined;
  const seconds = Number(value.N);
  // Negative or astronomically large values never expire (the sweeper ignores them too).
  return seconds >= 0 && seconds <= Number.MAX_SAFE_INTEGER ? Math.floor(seconds) : undefined;
}

/** Moves an item's expiry entry along with a write (inside the write's transaction). */
export function maintainExpiry(tx: KvTransaction, table: TableRecord, storageKey: Buffer, before: Item | undefined, after: Item | undefined): void {
  const ttl = table.timeToLive;
  if (!ttl?.expiryIndex) return;
  const was = before && indexedExpirySecond(before, ttl.AttributeName);
  const now = after && indexedExpirySecond(after, ttl.AttributeName);
  if (was === now) return;
  const suffix = storageKey.subarray(itemKeySuffixOffset);
  const generation = ttl.expiryIndex.generation;
  if (was !== undefined) tx.delete(expiryKey(table.tableNumber, generation, was, suffix));
  if (now !== undefined) tx.put(expiryKey(table.tableNumber, generation, now, suffix), true);
}

/**
 * Points the table's expiry index at `attributeName`: the same attribute keeps its index; another
 * starts a generation (built by buildExpiryIndex). Call before saving the table record.
 */
export function retargetExpiryIndex(table: TableRecord, attributeName: string, enabled: boolean): void {
  const current = table.timeToLive;
  const reuse = current?.expiryIndex && current.AttributeName === attributeName;
  table.timeToLive = {
    AttributeName: attributeName,
    Enabled: enabled,
    expiryIndex: reuse ? current.expiryIndex : { generation: (current?.expiryIndex?.generation ?? 0) + 1, complete: false },
  };
}

/** Erases the table's other generations and indexes its existing items; then marks it complete. */
export async function buildExpiryIndex(db: Database, table: TableRecord): Promise<void> {
  const generation = table.timeToLive?.expiryIndex?.generation;
  if (generation === undefined) return;
  const current = () =>
    db.catalog.find(table.spec.TableName)?.tableNumber === table.tableNumber && table.timeToLive?.expiryIndex?.generation === generation;
  const all = expiryTableRange(table.tableNumber);
  const mine = expiryPrefix(table.tableNumber, generation);
  await eraseRange(db.store, { start: all.start, end: mine });
  await eraseRange(db.store, { start: prefixEnd(mine), end: all.end });

  const live = await forEachItemBatch(db, table.tableNumber, (tx, keys) => {
    if (!current()) return false; // dropped, or retargeted again meanwhile
    const attributeName = table.timeToLive!.AttributeName;
    for (const key of keys) {
      // Read inside the transaction: a write since the scan has already moved the entry.
      const stored = tx.get(key) as StoredItem | undefined;
      const second = stored && indexedExpirySecond(stored[1], attributeName);
      if (second !== undefined) tx.put(expiryKey(table.tableNumber, generation, second, key.subarray(itemKeySuffixOffset)), true);
    }
    return true;
  });
  if (!live) return;
  if (!current()) return;
  table.timeToLive!.expiryIndex = { generation, complete: true };
  await db.catalog.save(table);
}
