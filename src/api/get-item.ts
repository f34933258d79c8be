// GetItem: one item by its full primary key, optionally projected (ProjectionExpression or
// the legacy AttributesToGet).
import type { Database } from '../engine/database.js';
import { consumedCapacity, readUnits } from '../engine/consumed-capacity.js';
import { itemKey } from '../engine/storage-keys.js';
import { readStored } from '../engine/stored-item.js';
import { checkKeyArgument } from '../model/keys.js';
import { checkKeyAttributeUsage, checkParameterMixing, prepareExpressions, projectItem } from '../expressions/index.js';
import { collectAttributesToGetErrors } from './query.js';
import { ConstraintErrors, collectTableNameErrors } from './validate/common.js';
import { optionalEnum, returnConsumedCapacityValues } from './validate/request.js';
import { checkItem } from '../model/values.js';

export function getItem(input: Record<string, unknown>, db: Database): unknown {
  const errors = new ConstraintErrors();
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  optionalEnum(errors, 'returnConsumedCapacity', input.ReturnConsumedCapacity, returnConsumedCapacityValues);
  errors.notNull('key', input.Key);
  // unverified: where the AttributesToGet length failure falls among the others.
  collectAttributesToGetErrors(errors, input);
  errors.throwIfAny();
  // In DynamoDB's order (dynalite's suite): mixing, the key's values, AttributesToGet, expressions.
  checkParameterMixing(input, 'GetItem');
  const rawKey = checkItem(input.Key);
  const expressions = prepareExpressions({
    ProjectionExpression: input.ProjectionExpression as string | undefined,
    ExpressionAttributeNames: input.ExpressionAttributeNames,
    AttributesToGet: input.AttributesToGet,
  });
  const table = db.catalog.table(tableName);
  const key = checkKeyArgument(rawKey, table.spec.keySchema);
  checkKeyAttributeUsage(expressions, table.spec.keySchema);
  const consistent = input.ConsistentRead === true;
  const stored = readStored((k) => db.store.get(k), itemKey(table.tableNumber, table.spec.keySchema, key));
  const result: Record<string, unknown> = {};
  if (stored) result.Item = expressions.projection ? projectItem(stored[1], expressions.projection) : stored[1];
  const capacity = consumedCapacity(input.ReturnConsumedCapacity, tableName, { table: readUnits(stored?.[0] ?? 0, consistent) }, 'read');
  if (capacity) result.ConsumedCapacity = capacity;
  return result;
}
