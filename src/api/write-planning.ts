// Turning the Put / Update / Delete / ConditionCheck parameters into write plans. PutItem,
// UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems all plan through here,
// so every path validates an item exactly the same way. The single-item operations also take
// the legacy parameters (Expected, ConditionalOperator, AttributeUpdates); transactions don't.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { itemKey } from '../engine/storage-keys.js';
import type { WritePlan } from '../engine/write-plan.js';
import { itemSize } from '../model/item-size.js';
import { checkItemKeys, checkKeyArgument } from '../model/keys.js';
import { checkItem } from '../model/values.js';
import {
  applyUpdate,
  checkKeyAttributeUsage,
  checkKeyUpdate,
  checkParameterMixing,
  evaluateCondition,
  prepareExpressions,
  type LegacyOperation,
  type PreparedExpressions,
} from '../expressions/index.js';
import { checkIndexKeys, checkItemSize, checkUpdatedItemSize } from './item-support.js';
import { comparisonOperatorValues, conditionalOperatorValues } from './query.js';
import { ConstraintErrors, optionalString, optionalStructure } from './validate/common.js';
import { optionalEnum } from './validate/request.js';

export interface PlannedWrite {
  plan: WritePlan;
  expressions: PreparedExpressions;
}

export interface PlanOptions {
  /**
   * Whether the legacy parameters apply (default true). TransactWriteItems passes false: its
   * actions have no such members, and DynamoDB ignores members a shape does not have.
   */
  legacy?: boolean;
}

type Input = Record<string, unknown>;
type WriteOperation = Extract<LegacyOperation, 'PutItem' | 'UpdateItem' | 'DeleteItem'>;

// unverified: the order DynamoDB lists this enum in (the API model's order).
const attributeActionValues = ['ADD', 'PUT', 'DELETE'] as const;

/**
 * The enum members of the legacy parameters, as their own shape pass. unverified: where they
 * fall among the operation's other shape failures (they are reported after them here).
 */
function checkLegacyShapes(input: Input, operation: WriteOperation): void {
  const errors = new ConstraintErrors();
  const expected = optionalStructure(input.Expected);
  for (const name in expected) {
    const operator = optionalString(optionalStructure(expected[name])?.ComparisonOperator);
    optionalEnum(errors, `expected.${name}.member.comparisonOperator`, operator, comparisonOperatorValues);
  }
  optionalEnum(errors, 'conditionalOperator', optionalString(input.ConditionalOperator), conditionalOperatorValues);
  if (operation === 'UpdateItem') {
    const updates = optionalStructure(input.AttributeUpdates);
    for (const name in updates) {
      const action = optionalString(optionalStructure(updates[name])?.Action);
      optionalEnum(errors, `attributeUpdates.${name}.member.action`, action, attributeActionValues);
    }
  }
  errors.throwIfAny();
}

/** What a single-item write checks before its item or key: legacy shapes, then mixing. */
function checkWriteParameters(input: Input, operation: WriteOperation, options: PlanOptions): boolean {
  if (options.legacy === false) return false;
  checkLegacyShapes(input, operation);
  checkParameterMixing(input, operation);
  return true;
}

/** The expression (and legacy) parameters of a write; others in the input are not this operation's. */
function writeExpressions(input: Input, withUpdate: boolean, legacy: boolean): PreparedExpressions {
  return prepareExpressions({
    ConditionExpression: input.ConditionExpression as string | undefined,
    UpdateExpression: withUpdate ? (input.UpdateExpression as string | undefined) : undefined,
    ExpressionAttributeNames: input.ExpressionAttributeNames,
    ExpressionAttributeValues: input.ExpressionAttributeValues,
    ...(legacy
      ? { Expected: input.Expected, ConditionalOperator: input.ConditionalOperator, AttributeUpdates: withUpdate ? input.AttributeUpdates : undefined }
      : {}),
  });
}

function conditionOf(expressions: PreparedExpressions): WritePlan['condition'] {
  const condition = expressions.condition;
  return condition ? (item) => evaluateCondition(condition, item) : undefined;
}

/** A Put: the item is validated in full before the table is looked up, as DynamoDB does. */
export function planPut(input: Input, tableName: string, db: Database, options: PlanOptions = {}): PlannedWrite {
  const legacy = checkWriteParameters(input, 'PutItem', options);
  const item = checkItem(input.Item);
  const size = itemSize(item);
  checkItemSize(size);
  const expressions = writeExpressions(input, false, legacy);
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
      collectionBytesMax: collectionLimit(table, db),
    },
  };
}

/** The item collection limit applies to tables with local secondary indexes only. */
function collectionLimit(table: TableRecord, db: Database): number | undefined {
  return table.spec.LocalSecondaryIndexes.length > 0 ? db.itemCollectionBytesMax : undefined;
}

/** A Delete or ConditionCheck: a key and an optional condition. */
export function planKeyed(input: Input, tableName: string, db: Database, kind: 'delete' | 'check', options: PlanOptions = {}): PlannedWrite {
  // A ConditionCheck exists only in transactions.
  const legacy = kind === 'delete' && checkWriteParameters(input, 'DeleteItem', options);
  const rawKey = checkItem(input.Key);
  const expressions = writeExpressions(input, false, legacy);
  const table = db.catalog.table(tableName);
  const key = checkKeyArgument(rawKey, table.spec.keySchema);
  checkKeyAttributeUsage(expressions, table.spec.keySchema);
  return {
    expressions,
    plan: { kind, table, storageKey: itemKey(table.tableNumber, table.spec.keySchema, key), key, condition: conditionOf(expressions) },
  };
}

/** An Update: the new item is computed inside the transaction from the current one. */
export function planUpdate(input: Input, tableName: string, db: Database, options: PlanOptions = {}): PlannedWrite {
  const legacy = checkWriteParameters(input, 'UpdateItem', options);
  const rawKey = checkItem(input.Key);
  const expressions = writeExpressions(input, true, legacy);
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
      collectionBytesMax: collectionLimit(table, db),
      update: update ? (current: Item | undefined) => applyUpdate(update, current, key).item : undefined,
      checkResult: (item, size) => {
        checkUpdatedItemSize(size);
        checkIndexKeys(item, table);
      },
    },
  };
}
