// Erasing a deleted table's entries in the background, a bounded chunk per transaction,
// so DeleteTable answers at once and never holds the writer for long.
import type { KvStore } from '../storage/index.js';
import { expiryTableRange, tableRange } from './storage-keys.js';
import { forEachKeyBatch } from './key-batches.js';

const eraseChunkKeysMax = 2000;

export async function eraseRange(store: KvStore, range: { start: Buffer; end: Buffer }): Promise<void> {
  await forEachKeyBatch(store, range, eraseChunkKeysMax, (tx, keys) => {
    for (const key of keys) tx.delete(key);
    return true;
  });
}

/** A table's items, index entries and expiry entries. */
export async function eraseTable(store: KvStore, tableNumber: number): Promise<void> {
  await eraseRange(store, tableRange(tableNumber));
  await eraseRange(store, expiryTableRange(tableNumber));
}
