// Time to Live: a background sweeper deletes items whose TTL attribute (epoch seconds) has
// passed. As in DynamoDB, an expired item is still returned until the sweeper deletes it,
// and values more than five years in the past are ignored.
import type { Item } from '../model/attribute-value.js';
import type { Database } from './database.js';
import type { TableRecord } from './catalog.js';
import { applyItemChange } from './item-change.js';
import { indexPrefix, prefixEnd, baseIndexNumber } from './storage-keys.js';
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
    if (table?.timeToLive?.Enabled) deleted += await sweepTable(db, table, table.timeToLive.AttributeName);
  }
  return deleted;
}

async function sweepTable(db: Database, table: TableRecord, attributeName: string): Promise<number> {
  const nowSeconds = db.clock.now() / 1000;
  const start = indexPrefix(table.tableNumber, baseIndexNumber);
  const expired: Buffer[] = [];
  for (const { key, value } of db.store.range({ start, end: prefixEnd(start) })) {
    const expiry = expiryOf((value as StoredItem)[1], attributeName, nowSeconds);
    if (expiry !== undefined && expiry <= nowSeconds) expired.push(Buffer.from(key));
  }
  let deleted = 0;
  for (let i = 0; i < expired.length; i += sweepBatchItemsMax) {
    const batch = expired.slice(i, i + sweepBatchItemsMax);
    deleted += await db.store.transact((tx) => {
      if (db.catalog.find(table.spec.TableName)?.tableNumber !== table.tableNumber) return 0; // dropped meanwhile
      let count = 0;
      for (const key of batch) {
        const stored = tx.get(key) as StoredItem | undefined;
        // Re-check inside the transaction: the item may have been rewritten since the scan.
        const expiry = stored && expiryOf(stored[1], attributeName, nowSeconds);
        if (expiry === undefined || expiry > nowSeconds) continue;
        // Recorded as the service's deletion (a stream record's userIdentity
        // {type: 'Service', principalId: 'dynamodb.amazonaws.com'}), not a user's.
        applyItemChange(tx, db.catalog, table, key, stored, undefined, 0, 'ttl');
        count++;
      }
      return count;
    });
  }
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
