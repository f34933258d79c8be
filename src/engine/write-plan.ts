// A planned write to one item, and its two-phase execution inside a transaction:
// `prepareWrite` reads and checks everything (and may fail), `commitWrite` only writes.
// Single-item operations run the two back to back; transactions prepare every item first.
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import type { KvTransaction } from '../storage/index.js';
import type { Catalog, TableRecord } from './catalog.js';
import { applyItemChange } from './item-change.js';
import { checkCollectionGrowth, collectionDelta } from './item-collection.js';
import type { IndexWrites } from './index-maintenance.js';
import { readStored, type StoredItem } from './stored-item.js';

export interface WritePlan {
  kind: 'put' | 'update' | 'delete' | 'check';
  table: TableRecord;
  storageKey: Buffer;
  /** The key attributes (table schema only). */
  key: Item;
  /** put: the new item; its size below. */
  item?: Item;
  size?: number;
  /** Returns false when the item (absent: undefined) fails the request's condition. */
  condition?: (item: Item | undefined) => boolean;
  /** update: computes the new item from the current one (or the key alone); may throw. */
  update?: (current: Item | undefined) => Item;
  /** Tables with LSIs: the item collection size limit the write must respect. */
  collectionBytesMax?: number;
  /** Checks a computed item before it is written (size, index key types); may throw. */
  checkResult?: (item: Item, size: number) => void;
}

export interface PreparedWrite {
  plan: WritePlan;
  before: StoredItem | undefined;
  after: Item | undefined;
  afterSize: number;
}

export type PrepareOutcome = { ok: true; prepared: PreparedWrite } | { ok: false; before: Item | undefined };

export function prepareWrite(tx: KvTransaction, plan: WritePlan): PrepareOutcome {
  const before = readStored((k) => tx.get(k), plan.storageKey);
  if (plan.condition && !plan.condition(before?.[1])) return { ok: false, before: before?.[1] };
  let after: Item | undefined;
  let afterSize = 0;
  switch (plan.kind) {
    case 'put':
      after = plan.item!;
      afterSize = plan.size!;
      break;
    case 'update':
      after = plan.update ? plan.update(before?.[1]) : (before?.[1] ?? { ...plan.key });
      // An update that only removes attributes does not create a missing item (DynamoDB
      // creates one only when the update writes something, or when there is no update at all).
      if (!before && plan.update && Object.keys(after).length === Object.keys(plan.key).length) {
        after = undefined;
        break;
      }
      afterSize = itemSize(after);
      plan.checkResult?.(after, afterSize);
      break;
    case 'delete':
      break;
    case 'check':
      after = before?.[1];
      afterSize = before?.[0] ?? 0;
      break;
  }
  if (plan.collectionBytesMax !== undefined && after) {
    const delta = collectionDelta(plan.table, before?.[1], before?.[0] ?? 0, after, afterSize);
    checkCollectionGrowth(tx, plan.table, after, delta, plan.collectionBytesMax);
  }
  return { ok: true, prepared: { plan, before, after, afterSize } };
}

/** Writes a prepared change; returns the index write units it cost. */
export function commitWrite(tx: KvTransaction, prepared: PreparedWrite, catalog: Catalog): IndexWrites {
  const { plan, before, after, afterSize } = prepared;
  if (plan.kind === 'check') return new Map();
  if (!before && !after) return new Map(); // nothing was there and nothing is written
  return applyItemChange(tx, catalog, plan.table, plan.storageKey, before, after, afterSize);
}
