// Running one planned write as its own transaction and shaping the common response parts.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import { chargeFromIndexWrites, consumedCapacity, writeUnits } from '../engine/consumed-capacity.js';
import { collectionBytes } from '../engine/item-collection.js';
import { commitWrite, prepareWrite, type PreparedWrite } from '../engine/write-plan.js';
import type { IndexWrites } from '../engine/index-maintenance.js';
import type { WritePlan } from '../engine/write-plan.js';
import { conditionFailed, itemCollectionMetrics } from './item-support.js';

export interface WriteOutcome {
  prepared: PreparedWrite;
  indexWrites: IndexWrites;
}

/** Prepares and commits one write in one transaction; a failed condition throws. */
export async function runSingleWrite(db: Database, plan: WritePlan, returnOnFailure: unknown): Promise<WriteOutcome> {
  const outcome = await db.store.transact((tx) => {
    const prepared = prepareWrite(tx, plan);
    if (!prepared.ok) return prepared;
    return { ok: true as const, prepared: prepared.prepared, indexWrites: commitWrite(tx, prepared.prepared, db.catalog) };
  });
  if (!outcome.ok) throw conditionFailed(outcome.before, returnOnFailure);
  return outcome;
}

/** ConsumedCapacity and ItemCollectionMetrics of a single write, added to `result`. */
export function addWriteMetrics(result: Record<string, unknown>, input: Record<string, unknown>, db: Database, outcome: WriteOutcome): void {
  const { plan, before, afterSize } = outcome.prepared;
  const units = writeUnits(Math.max(afterSize, before?.[0] ?? 0));
  const capacity = consumedCapacity(input.ReturnConsumedCapacity, plan.table.spec.TableName, chargeFromIndexWrites(units, outcome.indexWrites, plan.table), 'write');
  if (capacity) result.ConsumedCapacity = capacity;
  const key: Item = plan.key;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, plan.table, key, () => collectionBytes(db, plan.table, key));
  if (metrics) result.ItemCollectionMetrics = metrics;
}
