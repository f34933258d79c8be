// Planning INSERT, UPDATE, DELETE (and EXISTS, a transaction's condition check) as the input
// of PutItem, UpdateItem, DeleteItem (ConditionCheck). As DynamoDB does: INSERT puts only
// where no item has the key (attribute_not_exists on the partition key, else
// DuplicateItemException); UPDATE updates only an existing item (attribute_exists), with the
// WHERE clause's other conditions as its condition; DELETE deletes under those conditions, and
// deleting a missing item is no error. Checks run in DynamoDB's order (its statement translators).
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { DeleteStatement, ExistsStatement, Expr, InsertStatement, Returning, UpdateStatement } from './ast.js';
import { attributeComparison, conjoin, conjuncts, extractItemKey } from './keys.js';
import { messages, semantic } from './messages.js';
import { Placeholders, renderCondition, renderUpdate } from './render.js';
import { normalizeNumber } from '../model/decimal.js';
import type { SchemaReader } from './schema.js';
import { insertTable, sourceComponents, writeTable } from './source.js';
import { identifierOf, isValueExpr, structToItem, toAttributeValue, typeOf } from './values.js';

export interface WritePlan {
  kind: 'insert' | 'update' | 'delete' | 'check';
  tableName: string;
  /** The item's key, which batches and transactions use to refuse two statements on one item. */
  key: Item;
  /** The PutItem / UpdateItem / DeleteItem / ConditionCheck input (without capacity options). */
  input: Record<string, unknown>;
  /** ReturnValues asked for with RETURNING. */
  returnValues?: 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';
}

export async function planInsert(statement: InsertStatement, parameters: readonly AttributeValue[], schemas: SchemaReader): Promise<WritePlan> {
  if (statement.many) throw semantic(messages.insertMany);
  if (statement.at) throw semantic(messages.insertAt);
  if (statement.onConflict) throw semantic(messages.unsupportedClause('ON CONFLICT'));
  const item = insertItem(statement.value!, parameters);
  const tableName = insertTable(statement.target);
  const table = await schemas.table(tableName);
  const key: Item = {};
  for (const name of [...table.hash, ...table.range]) {
    const value = item[name];
    if (value === undefined) throw semantic(messages.keyAbsent(name));
    if (typeOf(value) !== table.types.get(name)) throw semantic(messages.keyTypeMismatch(name));
    key[name] = value;
  }
  if (statement.returning !== undefined) {
    checkReturningShape(statement.returning);
    throw semantic(messages.insertReturning);
  }
  const placeholders = new Placeholders(parameters);
  const input = { TableName: tableName, Item: item, ConditionExpression: `attribute_not_exists(${placeholders.name(table.hash[0]!)})` };
  return { kind: 'insert', tableName, key, input: placeholders.attach(input) };
}

/** INSERT's VALUE: a tuple whose values are literals, collections or parameters. */
function insertItem(value: Expr, parameters: readonly AttributeValue[]): Item {
  if (value.kind !== 'struct') throw semantic(messages.insertItemFormat);
  for (const field of value.fields) {
    if (!isValueExpr(field.value)) throw semantic(messages.unsupportedDataType(identifierOf(field.value), 'root'));
  }
  return structToItem(value, parameters);
}

export async function planUpdate(statement: UpdateStatement, parameters: readonly AttributeValue[], schemas: SchemaReader): Promise<WritePlan> {
  checkWhere(statement.where, parameters);
  renderUpdate(statement.actions, new Placeholders(parameters));
  const tableName = writeTable(statement.source);
  if (statement.where === undefined) throw semantic(messages.incompleteKey);
  const table = await schemas.table(tableName);
  const { key, rest } = extractItemKey(statement.where, table, table.types, parameters);
  const returnValues = statement.returning === undefined ? undefined : returnValuesOf(statement.returning);
  const placeholders = new Placeholders(parameters);
  const updateExpression = renderUpdate(statement.actions, placeholders);
  // The item must exist: UPDATE never creates one (ConditionalCheckFailedException).
  const exists = `attribute_exists(${placeholders.name(table.hash[0]!)})`;
  const condition = rest === undefined ? exists : `${exists} AND (${renderCondition(rest, placeholders)})`;
  const input = { TableName: tableName, Key: key, UpdateExpression: updateExpression, ConditionExpression: condition };
  return { kind: 'update', tableName, key, input: placeholders.attach(input), returnValues };
}

export async function planDelete(statement: DeleteStatement, parameters: readonly AttributeValue[], schemas: SchemaReader): Promise<WritePlan> {
  checkWhere(statement.where, parameters);
  if (statement.where === undefined) throw semantic(messages.incompleteKey);
  const tableName = writeTable(statement.source);
  const table = await schemas.table(tableName);
  const { key, rest } = extractItemKey(statement.where, table, table.types, parameters);
  let returnValues: WritePlan['returnValues'];
  if (statement.returning !== undefined) {
    returnValues = returnValuesOf(statement.returning);
    if (returnValues !== 'ALL_OLD') throw semantic(messages.deleteReturning(writtenReturning(statement.returning)));
  }
  const placeholders = new Placeholders(parameters);
  const input: Record<string, unknown> = { TableName: tableName, Key: key };
  if (rest !== undefined) input.ConditionExpression = renderCondition(rest, placeholders);
  return { kind: 'delete', tableName, key, input: placeholders.attach(input), returnValues };
}

/** EXISTS(SELECT * FROM t WHERE <full key> AND <condition>): a ConditionCheck. */
export async function planExists(statement: ExistsStatement, parameters: readonly AttributeValue[], schemas: SchemaReader): Promise<WritePlan> {
  const select = statement.select;
  if (select.unsupportedClause !== undefined) throw semantic(messages.unsupportedClause(select.unsupportedClause));
  const components = sourceComponents(select.from);
  if (components.length !== 1) throw semantic(messages.existsOnIndex);
  checkWhere(select.where, parameters);
  if (select.where === undefined) throw semantic(messages.existsShape);
  const tableName = components[0]!;
  const table = await schemas.table(tableName);
  // The first equality on each key attribute is the key; a further one is a condition.
  const names = [...table.hash, ...table.range];
  const key: Item = {};
  const rest: Expr[] = [];
  for (const part of conjuncts(select.where)) {
    const comparison = attributeComparison(part);
    if (comparison !== undefined && comparison.op === '=' && names.includes(comparison.name) && key[comparison.name] === undefined) {
      key[comparison.name] = toAttributeValue(comparison.value, parameters);
    } else {
      rest.push(part);
    }
  }
  if (!names.every((name) => key[name] !== undefined) || rest.length === 0) throw semantic(messages.existsShape);
  for (const name of names) if (typeOf(key[name]!) !== table.types.get(name)) throw semantic(messages.keyTypeMismatch(name));
  const placeholders = new Placeholders(parameters);
  const condition = renderCondition(conjoin(rest)!, placeholders);
  return { kind: 'check', tableName, key, input: placeholders.attach({ TableName: tableName, Key: key, ConditionExpression: condition }) };
}

/** Renders a WHERE clause once, so its errors come before the table is looked up (DynamoDB's order). */
function checkWhere(where: Expr | undefined, parameters: readonly AttributeValue[]): void {
  if (where !== undefined) renderCondition(where, new Placeholders(parameters));
}

function checkReturningShape(returning: Returning): void {
  if (returning.multiple) throw semantic(messages.returningMultiple);
  if (!returning.star) throw semantic(messages.returningStar);
}

function returnValuesOf(returning: Returning): NonNullable<WritePlan['returnValues']> {
  checkReturningShape(returning);
  switch (returning.mapping) {
    case 'ALL_OLD':
      return 'ALL_OLD';
    case 'ALL_NEW':
      return 'ALL_NEW';
    case 'MODIFIED_OLD':
      return 'UPDATED_OLD';
    case 'MODIFIED_NEW':
      return 'UPDATED_NEW';
  }
}

/** RETURNING as written, for DynamoDB's DELETE text ("MODIFIED OLD *"). */
function writtenReturning(returning: Returning): string {
  return `${returning.mapping.replace('_', ' ')} *`;
}

/** Which item a plan names (its table and key), to refuse two statements on one item. */
export function keyIdentity(plan: { tableName: string; key: Item }): string {
  const parts = Object.keys(plan.key)
    .sort()
    .map((name) => {
      const value = plan.key[name]!;
      return [name, 'N' in value ? { N: canonicalNumber(value.N) } : value];
    });
  return JSON.stringify([plan.tableName, parts]);
}

function canonicalNumber(text: string): string {
  try {
    return normalizeNumber(text);
  } catch {
    return text; // an invalid number: the operation refuses it
  }
}
