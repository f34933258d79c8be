// Walking a key range in bounded batches while writes go on: the keys of a batch are read
// outside, then one write transaction handles them (re-reading what it needs inside it, since a
// write may have changed it meanwhile), so background work never holds the writer for long.
// Index backfills, expiry-index builds, TTL sweeps and erasures all walk their ranges this way.
import type { KvStore, KvTransaction } from '../storage/index.js';
import type { Database } from './database.js';
import { baseIndexNumber, indexPrefix, prefixEnd } from './storage-keys.js';

const itemBatchMax = 500;

/**
 * Calls `body` in its own transaction for each batch of at most `batchMax` keys of the range, in
 * key order. `body` returns false to stop (the table was dropped, the work was cancelled); so
 * does this. Keys `body` deletes are not met again.
 */
export async function forEachKeyBatch(
  store: KvStore,
  range: { start: Buffer; end: Buffer },
  batchMax: number,
  body: (tx: KvTransaction, keys: Buffer[]) => boolean,
): Promise<boolean> {
  let start = range.start;
  for (;;) {
    const keys: Buffer[] = [];
    for (const { key } of store.range({ start, end: range.end, limit: batchMax })) keys.push(Buffer.from(key));
    if (keys.length === 0) return true;
    if (!(await store.transact((tx) => body(tx, keys)))) return false;
    if (keys.length < batchMax) return true;
    start = Buffer.concat([keys[keys.length - 1]!, Buffer.of(0)]);
  }
}

/** forEachKeyBatch over a table's items (not its index entries). */
export function forEachItemBatch(db: Database, tableNumber: number, body: (tx: KvTransaction, keys: Buffer[]) => boolean): Promise<boolean> {
  const base = indexPrefix(tableNumber, baseIndexNumber);
  return forEachKeyBatch(db.store, { start: base, end: prefixEnd(base) }, itemBatchMax, body);
}
