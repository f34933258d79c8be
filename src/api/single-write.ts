// What PutItem, UpdateItem and DeleteItem share: their shape pass, running one planned write as
// its own transaction, and shaping the common response parts.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import { chargeFromIndexWrites, consumedCapacity, writeUnits } from '../engine/consumed-capacity.js';
import { collectionBytes } from '../engine/item-collection.js';
import { commitWrite, prepareWrite, type PreparedWrite } from '../engine/write-plan.js';
import type { IndexWrites } from '../engine/index-maintenance.js';
import type { WritePlan } from '../engine/write-plan.js';
import { DynamoError } from '../model/errors.js';
import { conditionFailed, itemCollectionMetrics } from './item-support.js';
import { ConstraintErrors, collectTableNameErrors } from './validate/common.js';
import { checkWriteEnums } from './validate/request.js';

export interface WriteOutcome {
  prepared: PreparedWrite;
  indexWrites: IndexWrites;
}

/** The shape pass: the table name (answered), the item or key, the enums; one message for all. */
export function checkSingleWriteShape(input: Record<string, unknown>, itemOrKey: 'item' | 'key'): string {
  const errors = new ConstraintErrors();
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  errors.notNull(itemOrKey, itemOrKey === 'item' ? input.Item : input.Key);
  checkWriteEnums(errors, input);
  errors.throwIfAny();
  return tableName;
}

/**
 * PutItem and DeleteItem: after the shape pass, ReturnValues may only be ALL_OLD or NONE; then
 * the write is planned and run, and ALL_OLD answers the item it replaced or deleted.
 */
export async function writeReturningOld(
  input: Record<string, unknown>,
  db: Database,
  itemOrKey: 'item' | 'key',
  planWrite: (tableName: string) => WritePlan,
): Promise<Record<string, unknown>> {
  const tableName = checkSingleWriteShape(input, itemOrKey);
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
    throw new DynamoError('ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
  }
  const outcome = await runSingleWrite(db, planWrite(tableName), input.ReturnValuesOnConditionCheckFailure);
  const result: Record<string, unknown> = {};
  const before = outcome.prepared.before;
  if (input.ReturnValues === 'ALL_OLD' && before) result.Attributes = before[1];
  addWriteMetrics(result, input, db, outcome);
  return result;
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
