// Walking a table's items in bounded batches while writes go on: the keys of a batch are read
// outside, then one write transaction handles them (re-reading each item inside it, since a write
// may have changed it meanwhile). Index backfills and expiry-index builds walk tables this way.
import type { KvTransaction } from '../storage/index.js';
import type { Database } from './database.js';
import { baseIndexNumber, indexPrefix, prefixEnd } from './storage-keys.js';

const batchItemsMax = 500;

/**
 * Calls `body` in its own transaction for each batch of the table's item keys, in key order.
 * `body` returns false to stop (the table was dropped, the work was cancelled); so does this.
 */
export async function forEachItemBatch(db: Database, tableNumber: number, body: (tx: KvTransaction, keys: Buffer[]) => boolean): Promise<boolean> {
  const base = indexPrefix(tableNumber, baseIndexNumber);
  const end = prefixEnd(base);
  let start = base;
  for (;;) {
    const keys: Buffer[] = [];
    for (const { key } of db.store.range({ start, end, limit: batchItemsMax })) keys.push(Buffer.from(key));
    if (keys.length === 0) return true;
    if (!(await db.store.transact((tx) => body(tx, keys)))) return false;
    start = Buffer.concat([keys[keys.length - 1]!, Buffer.of(0)]);
  }
}
