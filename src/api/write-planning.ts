// Turning the Put / Update / Delete / ConditionCheck parameters into write plans. PutItem,
// UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems all plan through here,
// so every path validates an item exactly the same way.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import { itemKey } from '../engine/storage-keys.js';
import type { WritePlan } from '../engine/write-plan.js';
import { itemSize } from '../model/item-size.js';
import { checkItemKeys, checkKeyArgument } from '../model/keys.js';
import { checkItem } from '../model/values.js';
import {
  applyUpdate,
  checkKeyAttributeUsage,
  checkKeyUpdate,
  evaluateCondition,
  prepareExpressions,
  type PreparedExpressions,
} from '../expressions/index.js';
import { checkIndexKeys, checkItemSize, checkUpdatedItemSize } from './item-support.js';

export interface PlannedWrite {
  plan: WritePlan;
  expressions: PreparedExpressions;
}

type Input = Record<string, unknown>;

/** The expression parameters of a write; others in the input are not this operation's. */
function writeExpressions(input: Input, withUpdate: boolean): PreparedExpressions {
  return prepareExpressions({
    ConditionExpression: input.ConditionExpression as string | undefined,
    UpdateExpression: withUpdate ? (input.UpdateExpression as string | undefined) : undefined,
    ExpressionAttributeNames: input.ExpressionAttributeNames,
    ExpressionAttributeValues: input.ExpressionAttributeValues,
  });
}

function conditionOf(expressions: PreparedExpressions): WritePlan['condition'] {
  const condition = expressions.condition;
  return condition ? (item) => evaluateCondition(condition, item) : undefined;
}

/** A Put: the item is validated in full before the table is looked up, as DynamoDB does. */
export function planPut(input: Input, tableName: string, db: Database): PlannedWrite {
  const item = checkItem(input.Item);
  const size = itemSize(item);
  checkItemSize(size);
  const expressions = writeExpressions(input, false);
  const table = db.catalog.table(tableName);
  checkKeyAttributeUsage(expressions, table.spec.keySchema);
  checkItemKeys(item, table.spec.keySchema);
  checkIndexKeys(item, table);
  return {
    expressions,
    plan: {
      kind: 'put',
      table,
      storageKey: itemKey(table.tableNumber, table.spec.keySchema, item),
      key: item,
      item,
      size,
      condition: conditionOf(expressions),
    },
  };
}

/** A Delete or ConditionCheck: a key and an optional condition. */
export function planKeyed(input: Input, tableName: string, db: Database, kind: 'delete' | 'check'): PlannedWrite {
  const rawKey = checkItem(input.Key);
  const expressions = writeExpressions(input, false);
  const table = db.catalog.table(tableName);
  const key = checkKeyArgument(rawKey, table.spec.keySchema);
  checkKeyAttributeUsage(expressions, table.spec.keySchema);
  return {
    expressions,
    plan: { kind, table, storageKey: itemKey(table.tableNumber, table.spec.keySchema, key), key, condition: conditionOf(expressions) },
  };
}

/** An Update: the new item is computed inside the transaction from the current one. */
export function planUpdate(input: Input, tableName: string, db: Database): PlannedWrite {
  const rawKey = checkItem(input.Key);
  const expressions = writeExpressions(input, true);
  const table = db.catalog.table(tableName);
  const key = checkKeyArgument(rawKey, table.spec.keySchema);
  const update = expressions.update;
  const schema = table.spec.keySchema;
  if (update) checkKeyUpdate(update, schema.sortKey ? [schema.partitionKey.name, schema.sortKey.name] : [schema.partitionKey.name]);
  checkKeyAttributeUsage(expressions, schema);
  return {
    expressions,
    plan: {
      kind: 'update',
      table,
      storageKey: itemKey(table.tableNumber, table.spec.keySchema, key),
      key,
      condition: conditionOf(expressions),
      update: update ? (current: Item) => applyUpdate(update, current).item : undefined,
      checkResult: (item, size) => {
        checkUpdatedItemSize(size);
        checkIndexKeys(item, table);
      },
    },
  };
}
