// TransactGetItems: up to 100 Get actions, read together in one serializable snapshot (one
// store transaction, so no write lands half-seen), answered in request order.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { readUnits } from '../engine/consumed-capacity.js';
import { itemKey } from '../engine/storage-keys.js';
import { readStored } from '../engine/stored-item.js';
import { prepareExpressions, projectItem, type PreparedExpressions } from '../expressions/index.js';
import { validationError } from '../model/errors.js';
import { checkKeyArgument } from '../model/keys.js';
import { checkItem } from '../model/values.js';
import { CapacityByTable, tableOfRequest } from './batch-write-item.js';
import { cancelOnKeyErrors, checkDistinctItems, checkTransactItemsList, collectDataTableName } from './transact-support.js';
import { ConstraintErrors } from './validate/common.js';
import { optionalEnum, returnConsumedCapacityValues } from './validate/request.js';

interface GetAction {
  tableName: string;
  rawKey: Item;
  expressions: PreparedExpressions;
  table?: TableRecord;
  key?: Item;
}

// Transactional reads cost twice a strongly consistent read (DynamoDB developer guide,
// "Capacity management for transactions").
const transactionalReadFactor = 2;

export async function transactGetItems(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const list = checkTransactGetShape(input);
  // Request-level checks for every action before any table is looked up: expressions, then
  // key values.
  const actions: GetAction[] = list.map((entry) => {
    const get = entry.Get as Record<string, unknown>;
    if (get.ExpressionAttributeNames !== undefined && get.ProjectionExpression === undefined) {
      throw validationError('ExpressionAttributeNames can only be specified when using expressions');
    }
    const expressions = prepareExpressions({
      ProjectionExpression: get.ProjectionExpression as string | undefined,
      ExpressionAttributeNames: get.ExpressionAttributeNames,
    });
    return { tableName: get.TableName as string, rawKey: checkItem(get.Key), expressions };
  });
  for (const action of actions) action.table = tableOfRequest(db, action.tableName);
  // unverified: DynamoDB's answer to two Gets of one item; we give TransactWriteItems' text.
  checkDistinctItems(actions.map((action) => [action.table!, action.rawKey]));
  // A key that does not match the schema cancels the transaction with a ValidationError
  // reason (captured for an empty Key); an empty or oversized key value is request-level.
  cancelOnKeyErrors(actions, (action) => {
    action.key = checkKeyArgument(action.rawKey, action.table!.spec.keySchema);
  });
  const stored = await db.store.transact((tx) =>
    actions.map((action) => readStored((k) => tx.get(k), itemKey(action.table!.tableNumber, action.table!.spec.keySchema, action.key!))),
  );
  const capacity = new CapacityByTable();
  const responses = actions.map((action, i) => {
    const found = stored[i];
    // unverified: a missing item is charged like an empty one (as GetItem charges it).
    capacity.add(action.tableName, 'read', { table: transactionalReadFactor * readUnits(found?.[0] ?? 0, true) });
    if (!found) return {};
    const item: Item = action.expressions.projection ? projectItem(found[1], action.expressions.projection) : found[1];
    return { Item: item };
  });
  const result: Record<string, unknown> = { Responses: responses };
  const consumed = capacity.toList(input.ReturnConsumedCapacity);
  if (consumed) result.ConsumedCapacity = consumed;
  return result;
}

/** The shape pass: members in alphabetical order, nested members by position, one message. */
function checkTransactGetShape(input: Record<string, unknown>): Record<string, unknown>[] {
  const errors = new ConstraintErrors();
  optionalEnum(errors, 'returnConsumedCapacity', input.ReturnConsumedCapacity, returnConsumedCapacityValues);
  const list = input.TransactItems;
  if (checkTransactItemsList(errors, list)) {
    list.forEach((entry, i) => {
      const path = `transactItems.${i + 1}.member.get`;
      const get = (entry as Record<string, unknown> | null)?.Get as Record<string, unknown> | undefined | null;
      if (!errors.notNull(path, get)) return;
      errors.notNull(`${path}.key`, get!.Key);
      collectDataTableName(errors, get!.TableName, `${path}.tableName`);
    });
  }
  errors.throwIfAny();
  return list as Record<string, unknown>[];
}
