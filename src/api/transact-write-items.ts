// TransactWriteItems: up to 100 Put / Update / Delete / ConditionCheck actions on distinct
// items, all or nothing. Checks run in DynamoDB's order (shape; every action's values and
// expressions; tables; duplicate targets; keys), then ONE store transaction prepares every
// action (conditions, updates) before the first write, so a transaction is serializable with
// every other write. ClientRequestToken makes a retry within 10 minutes a no-op.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { chargeFromIndexWrites, readUnits, writeUnits } from '../engine/consumed-capacity.js';
import { lookupToken, recordToken, requestFingerprint } from '../engine/idempotency.js';
import type { IndexWrites } from '../engine/index-maintenance.js';
import { readStored } from '../engine/stored-item.js';
import { commitWrite, prepareWrite, type PreparedWrite, type WritePlan } from '../engine/write-plan.js';
import { prepareExpressions } from '../expressions/index.js';
import { DynamoError, validationError } from '../model/errors.js';
import { itemSize } from '../model/item-size.js';
import { transactRequestBytesMax } from '../model/limits.js';
import { checkItem } from '../model/values.js';
import { CapacityByTable, collectionMetricsByTable, tableOfRequest } from './batch-write-item.js';
import { checkItemSize } from './item-support.js';
import { ConstraintErrors, optionalString } from './validate/common.js';
import {
  optionalEnum,
  returnConsumedCapacityValues,
  returnItemCollectionMetricsValues,
  returnValuesOnConditionCheckFailureValues,
} from './validate/request.js';
import { planKeyed, planPut, planUpdate } from './write-planning.js';
import { cancellation, cancelOnKeyErrors, checkDistinctItems, checkTransactItemsList, collectDataTableName, type CancellationReason } from './transact-support.js';

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const actionKinds: readonly ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];
const actionPaths: Record<ActionKind, string> = { ConditionCheck: 'conditionCheck', Put: 'put', Delete: 'delete', Update: 'update' };

interface Action {
  kind: ActionKind;
  body: Record<string, unknown>;
  tableName: string;
  /** The checked item (Put) or key (the others), before the schema is known. */
  value: Item;
  table?: TableRecord;
  plan?: WritePlan;
}

// unverified: moto's text for an entry holding zero or several actions.
const oneActionMessage = 'TransactItems can only contain one of Check, Put, Update or Delete';
// unverified: the 4 MB text. ScyllaDB's suite (run against DynamoDB) only pins "size cannot
// exceed" and says DynamoDB calls the request the "transaction payload".
const payloadTooLargeMessage = 'Total transaction payload size cannot exceed 4 MB';
// unverified: the exception's text; this is the catalogue's description of it.
const idempotentMismatchMessage =
  'DynamoDB rejected the request because you retried a request with a different payload but with an idempotent token that was already used.';

// Transactional writes cost twice a standard write, a ConditionCheck twice a consistent read
// (DynamoDB developer guide, "Capacity management for transactions").
const transactionalFactor = 2;

export async function transactWriteItems(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const list = checkTransactWriteShape(input);
  const actions = list.map(checkAction);
  checkPayloadSize(actions);
  for (const action of actions) action.table = tableOfRequest(db, action.tableName);
  checkDistinctItems(actions.map((action) => [action.table!, action.value]));
  planActions(actions, db);

  const token = optionalString(input.ClientRequestToken);
  // The request's content, member order aside; ReturnConsumedCapacity only shapes the answer.
  // unverified: whether DynamoDB compares ReturnConsumedCapacity too.
  const fingerprint = token === undefined ? '' : requestFingerprint([input.TransactItems, input.ReturnItemCollectionMetrics ?? null]);
  const outcome = await db.store.transact((tx) => {
    const now = db.clock.now();
    if (token !== undefined) {
      const lookup = lookupToken(tx, token, fingerprint, now);
      if (lookup.state === 'mismatch') return { kind: 'mismatch' as const };
      if (lookup.state === 'replay') {
        return { kind: 'replay' as const, sizes: actions.map((action) => readStored((k) => tx.get(k), action.plan!.storageKey)?.[0] ?? 0) };
      }
    }
    // Every action is prepared (read, condition, update computed) before the first write.
    const reasons: CancellationReason[] = [];
    const prepared: PreparedWrite[] = [];
    let cancelled = false;
    for (const action of actions) {
      try {
        const result = prepareWrite(tx, action.plan!);
        if (result.ok) {
          prepared.push(result.prepared);
          reasons.push({ Code: 'None' });
        } else {
          cancelled = true;
          reasons.push(conditionFailedReason(result.before, action.body.ReturnValuesOnConditionCheckFailure));
        }
      } catch (error) {
        // An update that fails on the stored item (wrong operand type, size to update...).
        if (!(error instanceof DynamoError) || error.name !== 'ValidationException') throw error;
        cancelled = true;
        reasons.push({ Code: 'ValidationError', Message: error.message });
      }
    }
    if (cancelled) return { kind: 'cancelled' as const, reasons };
    const indexWrites = prepared.map((item) => commitWrite(tx, item, db.catalog));
    if (token !== undefined) recordToken(tx, token, fingerprint, now);
    return { kind: 'committed' as const, prepared, indexWrites };
  });

  switch (outcome.kind) {
    case 'mismatch':
      throw new DynamoError('IdempotentParameterMismatchException', idempotentMismatchMessage);
    case 'cancelled':
      throw cancellation(outcome.reasons);
    case 'replay': {
      // A retry reports the read units of reading the items, not the writes (API reference,
      // ClientRequestToken). unverified: the exact units (one consistent read per item here).
      const result: Record<string, unknown> = {};
      const capacity = new CapacityByTable();
      actions.forEach((action, i) => capacity.add(action.tableName, 'read', { table: readUnits(outcome.sizes[i]!, true) }));
      const consumed = capacity.toList(input.ReturnConsumedCapacity);
      if (consumed) result.ConsumedCapacity = consumed;
      addCollectionMetrics(result, input, db, actions);
      return result;
    }
    case 'committed': {
      const result: Record<string, unknown> = {};
      const consumed = committedCapacity(actions, outcome.prepared, outcome.indexWrites).toList(input.ReturnConsumedCapacity);
      if (consumed) result.ConsumedCapacity = consumed;
      addCollectionMetrics(result, input, db, actions);
      return result;
    }
  }
}

function committedCapacity(actions: Action[], prepared: PreparedWrite[], indexWrites: IndexWrites[]): CapacityByTable {
  const capacity = new CapacityByTable();
  actions.forEach((action, i) => {
    const { plan, before, afterSize } = prepared[i]!;
    if (plan.kind === 'check') {
      capacity.add(action.tableName, 'read', { table: transactionalFactor * readUnits(before?.[0] ?? 0, true) });
      return;
    }
    const charge = chargeFromIndexWrites(writeUnits(Math.max(afterSize, before?.[0] ?? 0)), indexWrites[i]!, plan.table);
    capacity.add(action.tableName, 'write', {
      table: transactionalFactor * charge.table,
      indexes: charge.indexes?.map((index) => ({ ...index, units: transactionalFactor * index.units })),
    });
  });
  return capacity;
}

function addCollectionMetrics(result: Record<string, unknown>, input: Record<string, unknown>, db: Database, actions: Action[]): void {
  const metrics = collectionMetricsByTable(input.ReturnItemCollectionMetrics, db, actions.map((action) => [action.tableName, action.plan!]));
  if (metrics) result.ItemCollectionMetrics = metrics;
}

function conditionFailedReason(before: Item | undefined, returnOnFailure: unknown): CancellationReason {
  const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
  if (returnOnFailure === 'ALL_OLD' && before) reason.Item = before;
  return reason;
}

/**
 * The shape pass: every member constraint, one message. Top-level members are listed in
 * alphabetical order (captured: ClientRequestToken before ReturnConsumedCapacity), nested
 * members by position.
 */
function checkTransactWriteShape(input: Record<string, unknown>): Record<string, unknown>[] {
  const errors = new ConstraintErrors();
  const token = optionalString(input.ClientRequestToken);
  if (token !== undefined) errors.length('clientRequestToken', token, 1, 36);
  optionalEnum(errors, 'returnConsumedCapacity', input.ReturnConsumedCapacity, returnConsumedCapacityValues);
  optionalEnum(errors, 'returnItemCollectionMetrics', input.ReturnItemCollectionMetrics, returnItemCollectionMetricsValues);
  const list = input.TransactItems;
  if (checkTransactItemsList(errors, list)) {
    list.forEach((entry, i) => {
      const item = (entry ?? {}) as Record<string, unknown>;
      for (const kind of actionKinds) {
        const body = item[kind] as Record<string, unknown> | undefined | null;
        if (body === undefined || body === null) continue;
        const path = `transactItems.${i + 1}.member.${actionPaths[kind]}`;
        if (kind === 'ConditionCheck') errors.notNull(`${path}.conditionExpression`, body.ConditionExpression);
        if (kind === 'Put') errors.notNull(`${path}.item`, body.Item);
        else errors.notNull(`${path}.key`, body.Key);
        optionalEnum(errors, `${path}.returnValuesOnConditionCheckFailure`, body.ReturnValuesOnConditionCheckFailure, returnValuesOnConditionCheckFailureValues);
        collectDataTableName(errors, body.TableName, `${path}.tableName`);
        if (kind === 'Update') errors.notNull(`${path}.updateExpression`, body.UpdateExpression);
      }
    });
  }
  errors.throwIfAny();
  return list as Record<string, unknown>[];
}

/**
 * Checks one action as far as it can be checked without its table: exactly one action, its
 * item or key values (a Put item's size too), its expressions. DynamoDB makes these checks
 * for every action before looking any table up (captured: a malformed condition on a later
 * action wins over a missing table on an earlier one).
 */
function checkAction(entry: Record<string, unknown>): Action {
  const present = actionKinds.filter((kind) => entry?.[kind] !== undefined && entry?.[kind] !== null);
  if (present.length !== 1) throw validationError(oneActionMessage);
  const kind = present[0]!;
  const body = entry[kind] as Record<string, unknown>;
  let value: Item;
  if (kind === 'Put') {
    value = checkItem(body.Item);
    // A Put's size is known from the request: ValidationException, not a cancellation.
    checkItemSize(itemSize(value));
  } else {
    value = checkItem(body.Key);
  }
  prepareExpressions({
    ConditionExpression: body.ConditionExpression as string | undefined,
    UpdateExpression: kind === 'Update' ? (body.UpdateExpression as string | undefined) : undefined,
    ExpressionAttributeNames: body.ExpressionAttributeNames,
    ExpressionAttributeValues: body.ExpressionAttributeValues,
  });
  return { kind, body, tableName: body.TableName as string, value };
}

/** The 4 MB limit applies to the request ("transaction payload"), not to the items it touches. */
function checkPayloadSize(actions: Action[]): void {
  let total = 0;
  for (const action of actions) {
    total += itemSize(action.value);
    const values = action.body.ExpressionAttributeValues;
    if (values && typeof values === 'object') total += itemSize(values as Item);
  }
  if (total > transactRequestBytesMax) throw validationError(payloadTooLargeMessage);
}

/** Plans every action against its table; a key the schema refuses cancels the transaction. */
function planActions(actions: Action[], db: Database): void {
  cancelOnKeyErrors(actions, (action) => {
    const tableName = action.table!.spec.TableName;
    switch (action.kind) {
      case 'Put':
        action.plan = planPut(action.body, tableName, db, { legacy: false }).plan;
        break;
      case 'Update':
        action.plan = planUpdate(action.body, tableName, db, { legacy: false }).plan;
        break;
      case 'Delete':
        action.plan = planKeyed(action.body, tableName, db, 'delete', { legacy: false }).plan;
        break;
      case 'ConditionCheck':
        action.plan = planKeyed(action.body, tableName, db, 'check', { legacy: false }).plan;
        break;
    }
  });
}

