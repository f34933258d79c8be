// Admission for the operations that touch one table: GetItem, PutItem, UpdateItem, DeleteItem
// (one partition key), Query (one partition of the table or an index) and Scan (the table or
// an index). Each request reserves its minimum cost before it runs, is refused when a bucket
// cannot cover it, and is settled against the exact ConsumedCapacity it reports.
import type { OperationHandler } from '../server/http-server.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { DynamoError } from '../model/errors.js';
import { itemKey } from '../engine/storage-keys.js';
import { readStored } from '../engine/stored-item.js';
import { writeUnits } from '../engine/consumed-capacity.js';
import { analyzeKeyCondition, prepareExpressions } from '../expressions/index.js';
import type { KeySchema } from '../engine/table-spec.js';
import { consistentReadUnitsMin, eventualReadUnitsMin, writeUnitsMin } from './capacity-limits.js';
import { chargeElement, indexUnitsOf, isSettableMode, shapeConsumed, tableUnitsOf, type ConsumedElement } from './consumed.js';
import type { ResourceCapacity } from './resource-capacity.js';
import { keyIdentity, type CapacityTracker, type TableCapacity } from './table-capacity.js';
import { throttleError, type Operation, type Throttle } from './throttle-errors.js';

type Input = Record<string, unknown>;
export type ItemOperation = 'get' | 'put' | 'update' | 'delete';

/** A table name or table ARN's name part (batch and transaction maps accept ARNs). */
export function tableNameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const at = nameOrArn.indexOf(':table/');
  return at < 0 ? nameOrArn : nameOrArn.slice(at + ':table/'.length).split('/')[0]!;
}

export function readEstimate(consistent: unknown): number {
  return consistent === true ? consistentReadUnitsMin : eventualReadUnitsMin;
}

/** A request admitted against `resource`: what it reserved, and what settling it needs. */
interface Admission {
  state: TableCapacity;
  resource: ResourceCapacity;
  /** The GSI a Query or Scan reads; undefined for the table. */
  indexName: string | undefined;
  operation: Operation;
  estimate: number;
  key: string | undefined;
  /** The request's key or item: a failed condition is charged for the stored item it names. */
  keySource: unknown;
  /** ReturnConsumedCapacity as the client asked for it. */
  mode: unknown;
}

/**
 * The capacity state of the request's table; undefined leaves the request to the operation
 * (no table name, an unknown table, a ReturnConsumedCapacity it will refuse).
 */
function tableOfRequest(input: Input, tracker: CapacityTracker, nowMs: number): TableCapacity | undefined {
  const tableName = input.TableName;
  if (typeof tableName !== 'string' || !isSettableMode(input.ReturnConsumedCapacity)) return undefined;
  return tracker.table(tableNameOf(tableName), nowMs);
}

/**
 * Why `operation` is refused now, or undefined once its units are reserved on `resource`. A GSI
 * short of write capacity throttles writes to its base table (developer guide, "Provisioned
 * throughput considerations for GSIs"); any write may change any GSI, so every GSI is checked.
 */
export function refusalOrReserve(
  state: TableCapacity,
  resource: ResourceCapacity,
  operation: Operation,
  units: number,
  key: string | undefined,
  nowMs: number,
): Throttle | undefined {
  if (operation === 'write') {
    for (const index of state.globalIndexList) {
      const indexLimit = index.indexWriteRefusal(nowMs);
      if (indexLimit !== undefined) return index.throttle('write', indexLimit);
    }
  }
  const limit = resource.admit(operation, units, key, nowMs);
  return limit === undefined ? undefined : resource.throttle(operation, limit);
}

export function itemOperation(handler: OperationHandler, tracker: CapacityTracker, kind: ItemOperation): OperationHandler {
  const operation: Operation = kind === 'get' ? 'read' : 'write';
  return (input, context) => {
    const nowMs = tracker.now();
    const state = tableOfRequest(input, tracker, nowMs);
    if (state === undefined) return handler(input, context);
    const keySource = kind === 'put' ? input.Item : input.Key;
    const key = keySource !== null && typeof keySource === 'object' ? keyIdentity((keySource as Input)[state.partitionKeyName]) : undefined;
    const estimate = operation === 'read' ? readEstimate(input.ConsistentRead) : writeUnitsMin;
    const mode = input.ReturnConsumedCapacity;
    const admission: Admission = { state, resource: state.table, indexName: undefined, operation, estimate, key, keySource, mode };
    return runAdmitted(handler, input, context, admission, tracker, nowMs);
  };
}

export function queryOperation(handler: OperationHandler, tracker: CapacityTracker, kind: 'query' | 'scan'): OperationHandler {
  return (input, context) => {
    const nowMs = tracker.now();
    const state = tableOfRequest(input, tracker, nowMs);
    if (state === undefined) return handler(input, context);
    const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
    const index = indexName === undefined ? undefined : state.globalIndexes.get(indexName);
    let key: string | undefined;
    if (kind === 'query') {
      const schema = index === undefined ? state.spec.keySchema : indexSchema(state, indexName!);
      key = schema === undefined ? undefined : keyIdentity(queryPartitionValue(input, schema));
    }
    const admission: Admission = {
      state,
      resource: index ?? state.table,
      indexName: index === undefined ? undefined : indexName,
      operation: 'read',
      estimate: readEstimate(input.ConsistentRead),
      key,
      keySource: undefined,
      mode: input.ReturnConsumedCapacity,
    };
    return runAdmitted(handler, input, context, admission, tracker, nowMs);
  };
}

/** Admits the request (or throws the service's error), runs it and settles its reservation. */
function runAdmitted(
  handler: OperationHandler,
  input: Input,
  context: Parameters<OperationHandler>[1],
  admission: Admission,
  tracker: CapacityTracker,
  nowMs: number,
): unknown {
  const { state, resource, operation, estimate, key } = admission;
  const refusal = refusalOrReserve(state, resource, operation, estimate, key, nowMs);
  if (refusal !== undefined) throw throttleError(refusal);
  input.ReturnConsumedCapacity = 'INDEXES';
  let output: unknown;
  try {
    output = handler(input, context);
  } catch (error) {
    throw failed(error, admission, tracker);
  }
  if (output instanceof Promise) {
    return output.then(
      (result: unknown) => settled(result, admission, tracker.now()),
      (error: unknown) => {
        throw failed(error, admission, tracker);
      },
    );
  }
  return settled(output, admission, nowMs);
}

function indexSchema(state: TableCapacity, indexName: string): KeySchema | undefined {
  return state.spec.GlobalSecondaryIndexes.find((index) => index.IndexName === indexName)?.keySchema;
}

/** Charges the exact ConsumedCapacity in place of the reservation and restores the response shape the client asked for. */
function settled(result: unknown, admission: Admission, nowMs: number): unknown {
  const { state, resource, indexName, operation, estimate, key } = admission;
  const consumed = (result as { ConsumedCapacity?: ConsumedElement } | undefined)?.ConsumedCapacity;
  if (consumed !== undefined) {
    chargeElement(state, consumed, nowMs);
    resource.charge(operation, -estimate, nowMs);
    if (key !== undefined) {
      const actual = indexName === undefined ? tableUnitsOf(consumed, operation) : indexUnitsOf(consumed, indexName, operation);
      if (actual !== estimate) resource.chargeKey(key, operation, actual - estimate, nowMs);
    }
  }
  return shapeConsumed(result, admission.mode);
}

/**
 * A failed request gives its reservation back, except a failed condition: DynamoDB still
 * consumes write units for the existing item's size, at least one (developer guide,
 * "Conditional writes": "the amount consumed depends on the size of the existing item").
 */
function failed(error: unknown, admission: Admission, tracker: CapacityTracker): unknown {
  const { state, resource, operation, estimate, key } = admission;
  const nowMs = tracker.now();
  let actual = 0;
  if (error instanceof DynamoError && error.name === 'ConditionalCheckFailedException' && operation === 'write') {
    actual = writeUnits(existingItemBytes(state, admission.keySource, tracker));
  }
  resource.charge(operation, actual - estimate, nowMs);
  if (key !== undefined) resource.chargeKey(key, operation, actual - estimate, nowMs);
  return error;
}

/** Size of the stored item a request's key (or item) names; 0 when absent or unreadable. */
function existingItemBytes(state: TableCapacity, source: unknown, tracker: CapacityTracker): number {
  if (source === null || typeof source !== 'object') return 0;
  const schema = state.spec.keySchema;
  const values = source as Item;
  const key: Item = { [schema.partitionKey.name]: values[schema.partitionKey.name]! };
  if (schema.sortKey) key[schema.sortKey.name] = values[schema.sortKey.name]!;
  try {
    const db = tracker.db;
    return readStored((storageKey) => db.store.get(storageKey), itemKey(state.record.tableNumber, schema, key))?.[0] ?? 0;
  } catch {
    return 0;
  }
}

/**
 * The partition key value a Query names: from KeyConditionExpression (compiled through the
 * expressions module, whose parse cache makes the second compile cheap) or legacy
 * KeyConditions. Undefined when the request is invalid; the operation then reports why.
 * A multi-attribute GSI key is represented by its first HASH attribute's value.
 */
export function queryPartitionValue(input: Input, schema: KeySchema): AttributeValue | undefined {
  try {
    if (typeof input.KeyConditionExpression === 'string') {
      const prepared = prepareExpressions({
        KeyConditionExpression: input.KeyConditionExpression,
        FilterExpression: input.FilterExpression as string | undefined,
        ProjectionExpression: input.ProjectionExpression as string | undefined,
        ExpressionAttributeNames: input.ExpressionAttributeNames,
        ExpressionAttributeValues: input.ExpressionAttributeValues,
      });
      return prepared.keyCondition === undefined ? undefined : analyzeKeyCondition(prepared.keyCondition, schema).partitionValue;
    }
    const conditions = input.KeyConditions as Record<string, { AttributeValueList?: unknown }> | undefined;
    const list = conditions?.[schema.partitionKey.name]?.AttributeValueList;
    return Array.isArray(list) ? (list[0] as AttributeValue) : undefined;
  } catch {
    return undefined;
  }
}
