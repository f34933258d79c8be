// Time to Live: a background sweeper deletes items whose TTL attribute (epoch seconds) has
// passed, found through the expiry index (expiry-index.ts). As in DynamoDB, an expired item is still returned until the sweeper deletes it,
// and values more than five years in the past are ignored.
import type { Item } from '../model/attribute-value.js';
import type { Database } from './database.js';
import type { TableRecord } from './catalog.js';
import { applyItemChange } from './item-change.js';
import { forEachKeyBatch } from './key-batches.js';
import { baseIndexNumber, expiryBound, expiryEntrySuffix, indexPrefix, itemKeySuffixOffset } from './storage-keys.js';
import type { StoredItem } from './stored-item.js';

const fiveYearsSeconds = 5 * 365 * 24 * 60 * 60;
/** Deletions per transaction, so one sweep never holds the writer for long. */
const sweepBatchItemsMax = 500;

/** Epoch seconds at which `item` expires under `attributeName`, if it does. */
export function expiryOf(item: Item, attributeName: string, nowSeconds: number): number | undefined {
  const value = item[attributeName];
  if (!value || !('N' in value)) return undefined;
  const seconds = Number(value.N);
  if (!Number.isFinite(seconds) || seconds < nowSeconds - fiveYearsSeconds) return undefined;
  return seconds;
}

/** Deletes every expired item of every table with TTL enabled; returns how many. */
export async function sweepExpiredItems(db: Database): Promise<number> {
  let deleted = 0;
  for (const name of db.catalog.names()) {
    const table = db.catalog.find(name);
    if (table?.timeToLive?.Enabled && table.timeToLive.expiryIndex) deleted += await sweepTable(db, table);
  }
  return deleted;
}

/** Walks the expiry index from five years ago up to this second, a bounded batch per transaction. */
async function sweepTable(db: Database, table: TableRecord): Promise<number> {
  const { AttributeName: attributeName, expiryIndex } = table.timeToLive!;
  const generation = expiryIndex!.generation;
  const nowSeconds = db.clock.now() / 1000;
  const itemPrefix = indexPrefix(table.tableNumber, baseIndexNumber).subarray(0, itemKeySuffixOffset);
  const range = {
    start: expiryBound(table.tableNumber, generation, Math.max(0, nowSeconds - fiveYearsSeconds)),
    end: expiryBound(table.tableNumber, generation, Math.floor(nowSeconds) + 1),
  };
  let deleted = 0;
  await forEachKeyBatch(db.store, range, sweepBatchItemsMax, (tx, entries) => {
    const now = db.catalog.find(table.spec.TableName);
    if (now?.tableNumber !== table.tableNumber || now.timeToLive?.expiryIndex?.generation !== generation) return false; // dropped or retargeted
    for (const entry of entries) {
      const key = Buffer.concat([itemPrefix, expiryEntrySuffix(entry)]);
      const stored = tx.get(key) as StoredItem | undefined;
      // Re-check inside the transaction: the item may have been rewritten since the scan
      // (its write moved the entry), and a fractional expiry may still be ahead this second.
      const expiry = stored && expiryOf(stored[1], attributeName, nowSeconds);
      if (expiry === undefined || expiry > nowSeconds) continue;
      // Recorded as the service's deletion (a stream record's userIdentity
      // {type: 'Service', principalId: 'dynamodb.amazonaws.com'}), not a user's.
      applyItemChange(tx, db.catalog, table, key, stored, undefined, 0, 'ttl');
      deleted++;
    }
    return true;
  });
  return deleted;
}

/** Runs the sweeper every `intervalMs` until stopped. */
export function startTtlSweeper(db: Database, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    // Tracked as background work so shutdown waits for a sweep in progress.
    db.runInBackground('TTL sweep', () => sweepExpiredItems(db).finally(() => (running = false)));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
