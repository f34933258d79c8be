// Admission for the operations that touch one table: GetItem, PutItem, UpdateItem, DeleteItem
// (one partition key, and for writes the GSI partitions the item reaches), Query (one
// partition of the table or an index) and Scan (the table or an index). Each request reserves
// its estimated cost before it runs (the minimum, or a Put's item size), is refused when a
// bucket or partition cannot cover it, and is settled against the exact ConsumedCapacity.
import type { OperationHandler } from '../server/http-server.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { DynamoError } from '../model/errors.js';
import { itemSize } from '../model/item-size.js';
import { itemBytesMax } from '../model/limits.js';
import { writeUnits } from '../engine/consumed-capacity.js';
import { analyzeKeyCondition, prepareExpressions } from '../expressions/index.js';
import type { KeySchema } from '../engine/table-spec.js';
import { consistentReadUnitsMin, eventualReadUnitsMin, writeUnitsMin } from './capacity-limits.js';
import { chargeElement, indexUnitsOf, isSettableMode, shapeConsumed, tableUnitsOf, type ConsumedElement } from './consumed.js';
import { positionOf, type CapacityTracker, type TableCapacity } from './table-capacity.js';
import { throttleError, type Operation } from './throttle-errors.js';
import {
  indexPositionsOf, isThrottle, release, reserve, settlePartitions, storedIndexPositions, storedItemOf, type Reservation,
} from './admission.js';

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

/**
 * The capacity state of the request's table; undefined leaves the request to the operation
 * (no table name, an unknown table, a ReturnConsumedCapacity it will refuse).
 */
function tableOfRequest(input: Input, tracker: CapacityTracker, nowMs: number): TableCapacity | undefined {
  const tableName = input.TableName;
  if (typeof tableName !== 'string' || !isSettableMode(input.ReturnConsumedCapacity)) return undefined;
  return tracker.table(tableNameOf(tableName), nowMs);
}

export function itemOperation(handler: OperationHandler, tracker: CapacityTracker, kind: ItemOperation): OperationHandler {
  const operation: Operation = kind === 'get' ? 'read' : 'write';
  return (input, context) => {
    const nowMs = tracker.now();
    const state = tableOfRequest(input, tracker, nowMs);
    if (state === undefined) return handler(input, context);
    const keySource = kind === 'put' ? input.Item : input.Key;
    const position = keySource !== null && typeof keySource === 'object' ? positionOf((keySource as Input)[state.partitionKeyName]) : undefined;
    let indexPositions: number[] | undefined;
    if (kind === 'put') indexPositions = indexPositionsOf(state, isItem(keySource) ? keySource : undefined);
    else if (kind !== 'get') indexPositions = storedIndexPositions(state, keySource, tracker.db, nowMs);
    const estimate = operation === 'read' ? readEstimate(input.ConsistentRead) : kind === 'put' ? putUnits(keySource) : writeUnitsMin;
    const admitted = reserve(state, state.table, operation, estimate, position, indexPositions, nowMs);
    if (isThrottle(admitted)) throw throttleError(admitted);
    return runAdmitted(handler, input, context, admitted, undefined, keySource, tracker);
  };
}

export function queryOperation(handler: OperationHandler, tracker: CapacityTracker, kind: 'query' | 'scan'): OperationHandler {
  return (input, context) => {
    const nowMs = tracker.now();
    const state = tableOfRequest(input, tracker, nowMs);
    if (state === undefined) return handler(input, context);
    const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
    const index = indexName === undefined ? undefined : state.globalIndexes.get(indexName);
    let position: number | undefined;
    if (kind === 'query') {
      const schema = index === undefined ? state.spec.keySchema : indexSchema(state, indexName!);
      position = schema === undefined ? undefined : positionOf(queryPartitionValue(input, schema));
    }
    const admitted = reserve(state, index ?? state.table, 'read', readEstimate(input.ConsistentRead), position, undefined, nowMs);
    if (isThrottle(admitted)) throw throttleError(admitted);
    return runAdmitted(handler, input, context, admitted, index === undefined ? undefined : indexName, undefined, tracker);
  };
}

/**
 * Runs the admitted request and settles its reservation (or gives it back when it fails).
 * `indexName` is the GSI a Query or Scan reads; `keySource` the key or item a write names (a
 * failed condition is charged for the stored item). Nothing is allocated on the sync path.
 */
function runAdmitted(
  handler: OperationHandler,
  input: Input,
  context: Parameters<OperationHandler>[1],
  reservation: Reservation,
  indexName: string | undefined,
  keySource: unknown,
  tracker: CapacityTracker,
): unknown {
  const mode = input.ReturnConsumedCapacity;
  input.ReturnConsumedCapacity = 'INDEXES';
  let output: unknown;
  try {
    output = handler(input, context);
  } catch (error) {
    throw failed(error, reservation, keySource, tracker);
  }
  if (output instanceof Promise) {
    return output.then(
      (result: unknown) => settled(result, reservation, indexName, mode, tracker.now()),
      (error: unknown) => {
        throw failed(error, reservation, keySource, tracker);
      },
    );
  }
  return settled(output, reservation, indexName, mode, tracker.now());
}

function indexSchema(state: TableCapacity, indexName: string): KeySchema | undefined {
  return state.spec.GlobalSecondaryIndexes.find((index) => index.IndexName === indexName)?.keySchema;
}

/** Charges the exact ConsumedCapacity in place of the reservation and restores the response shape the client asked for. */
function settled(result: unknown, reservation: Reservation, indexName: string | undefined, mode: unknown, nowMs: number): unknown {
  const consumed = (result as { ConsumedCapacity?: ConsumedElement } | undefined)?.ConsumedCapacity;
  if (consumed !== undefined) {
    chargeElement(reservation.state, consumed, nowMs);
    release(reservation, nowMs, false);
    const operation = reservation.operation;
    const actual = indexName === undefined ? tableUnitsOf(consumed, operation) : indexUnitsOf(consumed, indexName, operation);
    const names = reservation.state.globalIndexNames;
    settlePartitions(reservation, actual, names.length === 0 ? noUnits : (i) => indexUnitsOf(consumed, names[i]!, 'write'), nowMs);
  }
  return shapeConsumed(result, mode);
}

/**
 * A failed request gives its reservation back, except a failed condition: DynamoDB still
 * consumes write units for the existing item's size, at least one (developer guide,
 * "Conditional writes": "the amount consumed depends on the size of the existing item").
 */
function failed(error: unknown, reservation: Reservation, keySource: unknown, tracker: CapacityTracker): unknown {
  const nowMs = tracker.now();
  let actual = 0;
  if (error instanceof DynamoError && error.name === 'ConditionalCheckFailedException' && reservation.operation === 'write') {
    actual = writeUnits(storedItemOf(reservation.state, keySource, tracker.db)?.[0] ?? 0);
  }
  reservation.resource.charge(reservation.operation, actual - reservation.units, nowMs);
  settlePartitions(reservation, actual, noUnits, nowMs);
  return error;
}

const noUnits = (): number => 0;

function isItem(value: unknown): value is Item {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A put's size from the request's item; 0 when it is not an item (the operation reports that). */
export function putBytes(item: unknown): number {
  if (!isItem(item)) return 0;
  try {
    const bytes = itemSize(item);
    return Number.isFinite(bytes) ? bytes : 0;
  } catch {
    return 0;
  }
}

/**
 * A put's write units from the request's item (a larger stored item it replaces costs more;
 * settled later). An item over the size limit is estimated at the minimum: the operation
 * refuses it, and its ValidationException must not be preempted by a throttle.
 */
export function putUnits(item: unknown): number {
  const bytes = putBytes(item);
  return bytes > itemBytesMax ? writeUnitsMin : writeUnits(bytes);
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
