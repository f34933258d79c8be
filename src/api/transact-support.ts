// What TransactWriteItems and TransactGetItems share: the TransactItems list's shape checks,
// DynamoDB's texts, one item per transaction, and cancellation with a reason per action.
import type { Item } from '../model/attribute-value.js';
import type { TableRecord } from '../engine/catalog.js';
import { DynamoError, validationError } from '../model/errors.js';
import { transactItemsMax } from '../model/limits.js';
import { renderJava } from './batch-write-item.js';
import { ConstraintErrors, namePatternText, optionalString, renderValue } from './validate/common.js';

export interface CancellationReason {
  Code: 'None' | 'ConditionalCheckFailed' | 'ValidationError';
  Message?: string;
  Item?: Item;
}

export const multipleOperationsMessage = 'Transaction request cannot include multiple operations on one item';
const keyMismatchMessage = 'The provided key element does not match the schema';
const invalidPrefix = 'One or more parameter values were invalid: ';

/** TransactionCanceledException listing one reason per action, in request order. */
export function cancellation(reasons: CancellationReason[]): DynamoError {
  const codes = reasons.map((reason) => reason.Code).join(', ');
  return new DynamoError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, {
    CancellationReasons: reasons,
  });
}

/**
 * TransactItems itself: present, a list, 1 to transactItemsMax actions. True when the list's
 * members can be checked next.
 */
export function checkTransactItemsList(errors: ConstraintErrors, list: unknown): list is unknown[] {
  if (!errors.notNull('transactItems', list)) return false;
  if (!Array.isArray(list)) throw new DynamoError('SerializationException', 'Start of structure or map found where not expected');
  if (list.length < 1) errors.add('transactItems', list, 'Member must have length greater than or equal to 1', renderValue(list));
  if (list.length > transactItemsMax) {
    errors.add('transactItems', list, `Member must have length less than or equal to ${transactItemsMax}`, `'${renderTransactItems(list)}'`);
  }
  return true;
}

/** Two actions on one item are refused before any key is checked against its schema. */
export function checkDistinctItems(targets: readonly (readonly [TableRecord, Item])[]): void {
  const seen = new Set<string>();
  for (const [table, value] of targets) {
    const identity = keyIdentity(table, value);
    if (seen.has(identity)) throw validationError(multipleOperationsMessage);
    seen.add(identity);
  }
}

/**
 * Runs `check` on every action. A key the schema refuses by type or presence cancels the
 * transaction with a ValidationError reason for the first such action, the others "None"
 * (captured); any other error (an empty or oversized key value...) is thrown as it is.
 */
export function cancelOnKeyErrors<T>(actions: readonly T[], check: (action: T) => void): void {
  let failed: { index: number; message: string } | undefined;
  actions.forEach((action, index) => {
    try {
      check(action);
    } catch (error) {
      if (!(error instanceof DynamoError) || !isCancellingKeyError(error)) throw error;
      failed ??= { index, message: error.message };
    }
  });
  if (failed) {
    throw cancellation(actions.map((_, i) => (i === failed!.index ? { Code: 'ValidationError', Message: failed!.message } : { Code: 'None' })));
  }
}

/** Key errors DynamoDB reports as a cancellation reason rather than a ValidationException. */
function isCancellingKeyError(error: DynamoError): boolean {
  if (error.name !== 'ValidationException') return false;
  const message = error.message;
  return (
    message === keyMismatchMessage ||
    message.startsWith(`${invalidPrefix}Type mismatch for key `) ||
    message.startsWith(`${invalidPrefix}Missing the key `) ||
    // unverified: index keys follow the table keys (paritysuite has them in a file not read).
    message.startsWith(`${invalidPrefix}Type mismatch for Index Key `)
  );
}

/** Which item an action targets: its table and key values, before the key is validated. */
function keyIdentity(table: TableRecord, value: Item): string {
  const schema = table.spec.keySchema;
  const parts: unknown[] = [table.tableNumber, value[schema.partitionKey.name] ?? null];
  if (schema.sortKey) parts.push(value[schema.sortKey.name] ?? null);
  return JSON.stringify(parts);
}

const namePattern = /^[a-zA-Z0-9_.-]+$/;

/**
 * The TableName of a data-plane action (shape TableArn): present; a name matches the pattern
 * and is at most 255 characters, an ARN at most 1024. Mirrors checkTableNameOrArn.
 */
export function collectDataTableName(errors: ConstraintErrors, value: unknown, path: string): void {
  const name = optionalString(value);
  if (!errors.notNull(path, name) || name === undefined) return;
  if (name.startsWith('arn:')) {
    errors.length(path, name, 1, 1024);
  } else if (name.length === 0) {
    errors.length(path, name, 1);
  } else {
    errors.pattern(path, name, namePattern, namePatternText);
    errors.length(path, name, undefined, 255);
  }
}

/** How DynamoDB echoes a TransactItems list (Java's toString). unverified beyond "[...]". */
function renderTransactItems(list: unknown[]): string {
  return renderJava(list);
}
