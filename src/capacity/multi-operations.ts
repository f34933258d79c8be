// Admission for the operations that touch many items: BatchWriteItem and BatchGetItem admit
// item by item and return the refused ones in UnprocessedItems / UnprocessedKeys (refusing the
// whole call only when nothing can be admitted, as DynamoDB does); TransactWriteItems and
// TransactGetItems are all or nothing and are cancelled when any action is refused.
import type { OperationHandler } from '../server/http-server.js';
import type { Item } from '../model/attribute-value.js';
import { DynamoError } from '../model/errors.js';
import { itemSize } from '../model/item-size.js';
import { writeUnits } from '../engine/consumed-capacity.js';
import { transactionalFactor, writeUnitsMin, consistentReadUnitsMin } from './capacity-limits.js';
import { chargeList, isSettableMode, shapeConsumed } from './consumed.js';
import type { ResourceCapacity } from './resource-capacity.js';
import { keyIdentity, type CapacityTracker, type TableCapacity } from './table-capacity.js';
import { throttleCancellationReason, throttleError, throttledTransaction, type Operation, type Throttle } from './throttle-errors.js';
import { readEstimate, refusalOrReserve, tableNameOf } from './single-operations.js';

type Input = Record<string, unknown>;

interface Reservation {
  resource: ResourceCapacity;
  operation: Operation;
  units: number;
  key: string | undefined;
}

/** Admits one item against its table (and, for writes, the table's GSIs): the refusal, or undefined after reserving. */
function admitItem(
  state: TableCapacity,
  operation: Operation,
  units: number,
  keySource: unknown,
  nowMs: number,
  reservations: Reservation[],
): Throttle | undefined {
  const resource = state.table;
  const key = keySource !== null && typeof keySource === 'object' ? keyIdentity((keySource as Input)[state.partitionKeyName]) : undefined;
  const refusal = refusalOrReserve(state, resource, operation, units, key, nowMs);
  if (refusal === undefined) reservations.push({ resource, operation, units, key });
  return refusal;
}

/** Gives reservations back; `keys` too when the request did nothing at all. */
function release(reservations: Reservation[], nowMs: number, keys: boolean): void {
  for (const { resource, operation, units, key } of reservations) {
    resource.charge(operation, -units, nowMs);
    if (keys && key !== undefined) resource.chargeKey(key, operation, -units, nowMs);
  }
}

/**
 * Runs the (possibly reduced) request, then charges the exact ConsumedCapacity in place of the
 * table-level reservations. Per-key charges keep the per-item estimates: ConsumedCapacity is
 * per table, not per key.
 */
function runAndSettle(
  handler: OperationHandler,
  input: Input,
  context: Parameters<OperationHandler>[1],
  reservations: Reservation[],
  mode: unknown,
  tracker: CapacityTracker,
  keepOnCancel: boolean,
  finish: (result: Input) => void,
): unknown {
  input.ReturnConsumedCapacity = 'INDEXES';
  const onResult = (result: unknown): unknown => {
    const nowMs = tracker.now();
    release(reservations, nowMs, false);
    const response = (result ?? {}) as Input;
    chargeList(tracker, response.ConsumedCapacity, nowMs);
    finish(response);
    return shapeConsumed(result, mode);
  };
  const onError = (error: unknown): never => {
    // unverified: what a cancelled transaction consumes; the reserved minimum stays charged.
    const cancelled = keepOnCancel && error instanceof DynamoError && error.name === 'TransactionCanceledException';
    if (!cancelled) release(reservations, tracker.now(), true);
    throw error;
  };
  let output: unknown;
  try {
    output = handler(input, context);
  } catch (error) {
    onError(error);
  }
  return output instanceof Promise ? output.then(onResult, onError) : onResult(output);
}

function isMap(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Where a batch keeps its entries: BatchWriteItem a list of write requests per table,
 * BatchGetItem a request per table whose Keys are the entries.
 */
interface BatchShape {
  unprocessedName: 'UnprocessedItems' | 'UnprocessedKeys';
  /** A table's entries; undefined leaves the table to the operation, which reports what is wrong with it. */
  entriesOf(request: unknown): unknown[] | undefined;
  /** The table's request with only these entries. */
  withEntries(request: unknown, entries: unknown[]): unknown;
  admitEntry(state: TableCapacity, request: unknown, entry: unknown, nowMs: number, reservations: Reservation[]): Throttle | undefined;
}

const batchWrite: BatchShape = {
  unprocessedName: 'UnprocessedItems',
  entriesOf: (list) => (Array.isArray(list) ? list : undefined),
  withEntries: (_list, entries) => entries,
  admitEntry(state, _list, entry, nowMs, reservations) {
    const put = isMap(entry) && isMap(entry.PutRequest) ? entry.PutRequest : undefined;
    const del = isMap(entry) && isMap(entry.DeleteRequest) ? entry.DeleteRequest : undefined;
    const units = put !== undefined ? putUnits(put.Item) : writeUnitsMin;
    return admitItem(state, 'write', units, put !== undefined ? put.Item : del?.Key, nowMs, reservations);
  },
};

const batchGet: BatchShape = {
  unprocessedName: 'UnprocessedKeys',
  entriesOf: (request) => (isMap(request) && Array.isArray(request.Keys) ? request.Keys : undefined),
  withEntries: (request, keys) => ({ ...(request as Input), Keys: keys }),
  admitEntry: (state, request, key, nowMs, reservations) =>
    admitItem(state, 'read', readEstimate((request as Input).ConsistentRead), key, nowMs, reservations),
};

export function batchWriteOperation(handler: OperationHandler, tracker: CapacityTracker): OperationHandler {
  return batchOperation(handler, tracker, batchWrite);
}

export function batchGetOperation(handler: OperationHandler, tracker: CapacityTracker): OperationHandler {
  return batchOperation(handler, tracker, batchGet);
}

function batchOperation(handler: OperationHandler, tracker: CapacityTracker, shape: BatchShape): OperationHandler {
  return (input, context) => {
    const mode = input.ReturnConsumedCapacity;
    const requestItems = input.RequestItems;
    if (!isSettableMode(mode) || !isMap(requestItems)) return handler(input, context);
    const nowMs = tracker.now();
    const reservations: Reservation[] = [];
    const refused = new Map<string, unknown[]>();
    let firstRefusal: Throttle | undefined;
    let admittedCount = 0;
    for (const tableKey in requestItems) {
      const request = requestItems[tableKey];
      const entries = shape.entriesOf(request);
      const state = entries === undefined ? undefined : tracker.table(tableNameOf(tableKey), nowMs);
      if (entries === undefined || state === undefined) {
        admittedCount++; // left to the operation, which reports what is wrong with it
        continue;
      }
      for (const entry of entries) {
        const throttle = shape.admitEntry(state, request, entry, nowMs, reservations);
        if (throttle === undefined) {
          admittedCount++;
          continue;
        }
        firstRefusal ??= throttle;
        let refusedHere = refused.get(tableKey);
        if (refusedHere === undefined) refused.set(tableKey, (refusedHere = []));
        refusedHere.push(entry);
      }
    }
    if (firstRefusal !== undefined) {
      // "If none of the items can be processed due to insufficient provisioned throughput on
      // all of the tables in the request, then BatchWriteItem [BatchGetItem] returns a
      // ProvisionedThroughputExceededException" (API reference).
      if (admittedCount === 0) throw throttleError(firstRefusal);
      input.RequestItems = withoutRefused(requestItems, refused, shape);
    }
    return runAndSettle(handler, input, context, reservations, mode, tracker, false, (result) => {
      if (refused.size === 0) return;
      const name = shape.unprocessedName;
      const unprocessed = (isMap(result[name]) ? result[name] : (result[name] = {})) as Input;
      for (const [tableKey, entries] of refused) {
        const earlier = shape.entriesOf(unprocessed[tableKey]) ?? [];
        unprocessed[tableKey] = shape.withEntries(requestItems[tableKey], [...earlier, ...entries]);
      }
    });
  };
}

/** A put's write units from the request's item (a larger stored item it replaces costs more; settled later). */
function putUnits(item: unknown): number {
  if (!isMap(item)) return writeUnitsMin;
  try {
    const units = writeUnits(itemSize(item as Item));
    return Number.isFinite(units) ? units : writeUnitsMin;
  } catch {
    return writeUnitsMin;
  }
}

function withoutRefused(requestItems: Input, refused: Map<string, unknown[]>, shape: BatchShape): Input {
  const reduced: Input = {};
  for (const tableKey in requestItems) {
    const request = requestItems[tableKey];
    const refusedHere = refused.get(tableKey);
    if (refusedHere === undefined) {
      reduced[tableKey] = request;
      continue;
    }
    const kept = shape.entriesOf(request)!.filter((entry) => !refusedHere.includes(entry));
    if (kept.length > 0) reduced[tableKey] = shape.withEntries(request, kept);
  }
  return reduced;
}

const writeActionNames = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const;

export function transactOperation(handler: OperationHandler, tracker: CapacityTracker, kind: 'write' | 'get'): OperationHandler {
  return (input, context) => {
    const mode = input.ReturnConsumedCapacity;
    const items = input.TransactItems;
    if (!isSettableMode(mode) || !Array.isArray(items)) return handler(input, context);
    const nowMs = tracker.now();
    const reservations: Reservation[] = [];
    const refusals: (Throttle | undefined)[] = [];
    let refusedAny = false;
    for (const entry of items as unknown[]) {
      let refusal: Throttle | undefined;
      const target = transactTarget(entry, kind);
      const state = target === undefined ? undefined : tracker.table(tableNameOf(target.tableName), nowMs);
      if (target !== undefined && state !== undefined) {
        // Transactional reads (consistent) and writes cost double.
        const units = transactionalFactor * (target.operation === 'read' ? consistentReadUnitsMin : writeUnitsMin);
        refusal = admitItem(state, target.operation, units, target.keySource, nowMs, reservations);
      }
      if (refusal !== undefined) refusedAny = true;
      refusals.push(refusal);
    }
    if (refusedAny) {
      release(reservations, nowMs, true);
      // unverified: whether DynamoDB answers a throttled transaction with this cancellation
      // (documented: "insufficient provisioned capacity" cancels it, with these reason codes)
      // or with ProvisionedThroughputExceededException, which the SDKs would retry.
      throw throttledTransaction(refusals.map((refusal) => (refusal === undefined ? { Code: 'None' } : throttleCancellationReason(refusal))));
    }
    return runAndSettle(handler, input, context, reservations, mode, tracker, true, () => {});
  };
}

function transactTarget(entry: unknown, kind: 'write' | 'get'): { tableName: string; operation: Operation; keySource: unknown } | undefined {
  if (!isMap(entry)) return undefined;
  if (kind === 'get') {
    const get = entry.Get;
    return isMap(get) && typeof get.TableName === 'string' ? { tableName: get.TableName, operation: 'read', keySource: get.Key } : undefined;
  }
  for (const name of writeActionNames) {
    const action = entry[name];
    if (!isMap(action) || typeof action.TableName !== 'string') continue;
    return {
      tableName: action.TableName,
      operation: name === 'ConditionCheck' ? 'read' : 'write',
      keySource: name === 'Put' ? action.Item : action.Key,
    };
  }
  return undefined;
}
