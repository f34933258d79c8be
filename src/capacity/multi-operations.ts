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
import { readEstimate, tableNameOf } from './single-operations.js';

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
  if (operation === 'write') {
    for (const index of state.globalIndexList) {
      const indexLimit = index.indexWriteRefusal(nowMs);
      if (indexLimit !== undefined) return index.throttle('write', indexLimit);
    }
  }
  const limit = resource.admit(operation, units, key, nowMs);
  if (limit !== undefined) return resource.throttle(operation, limit);
  reservations.push({ resource, operation, units, key });
  return undefined;
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

export function batchWriteOperation(handler: OperationHandler, tracker: CapacityTracker): OperationHandler {
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
      const list = requestItems[tableKey];
      const state = Array.isArray(list) ? tracker.table(tableNameOf(tableKey), nowMs) : undefined;
      if (state === undefined) {
        admittedCount++; // left to the operation, which reports what is wrong with it
        continue;
      }
      for (const entry of list as unknown[]) {
        const put = isMap(entry) && isMap(entry.PutRequest) ? entry.PutRequest : undefined;
        const del = isMap(entry) && isMap(entry.DeleteRequest) ? entry.DeleteRequest : undefined;
        const units = put !== undefined ? putUnits(put.Item) : writeUnitsMin;
        const throttle = admitItem(state, 'write', units, put !== undefined ? put.Item : del?.Key, nowMs, reservations);
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
      // all of the tables in the request, then BatchWriteItem returns a
      // ProvisionedThroughputExceededException" (API reference).
      if (admittedCount === 0) throw throttleError(firstRefusal);
      input.RequestItems = withoutRefused(requestItems, refused);
    }
    return runAndSettle(handler, input, context, reservations, mode, tracker, false, (result) => {
      if (refused.size === 0) return;
      const unprocessed = (isMap(result.UnprocessedItems) ? result.UnprocessedItems : (result.UnprocessedItems = {})) as Record<string, unknown[]>;
      for (const [tableKey, entries] of refused) unprocessed[tableKey] = [...(unprocessed[tableKey] ?? []), ...entries];
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

function withoutRefused(requestItems: Input, refused: Map<string, unknown[]>): Input {
  const reduced: Input = {};
  for (const tableKey in requestItems) {
    const list = requestItems[tableKey];
    const refusedHere = refused.get(tableKey);
    if (refusedHere === undefined) {
      reduced[tableKey] = list;
      continue;
    }
    const kept = (list as unknown[]).filter((entry) => !refusedHere.includes(entry));
    if (kept.length > 0) reduced[tableKey] = kept;
  }
  return reduced;
}

export function batchGetOperation(handler: OperationHandler, tracker: CapacityTracker): OperationHandler {
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
      const keys = isMap(request) ? request.Keys : undefined;
      const state = Array.isArray(keys) ? tracker.table(tableNameOf(tableKey), nowMs) : undefined;
      if (state === undefined) {
        admittedCount++;
        continue;
      }
      const units = readEstimate((request as Input).ConsistentRead);
      for (const key of keys as unknown[]) {
        const throttle = admitItem(state, 'read', units, key, nowMs, reservations);
        if (throttle === undefined) {
          admittedCount++;
          continue;
        }
        firstRefusal ??= throttle;
        let refusedHere = refused.get(tableKey);
        if (refusedHere === undefined) refused.set(tableKey, (refusedHere = []));
        refusedHere.push(key);
      }
    }
    if (firstRefusal !== undefined) {
      // "If none of the items can be processed due to insufficient provisioned throughput on
      // all of the tables in the request, then BatchGetItem returns a
      // ProvisionedThroughputExceededException" (API reference).
      if (admittedCount === 0) throw throttleError(firstRefusal);
      const reduced: Input = {};
      for (const tableKey in requestItems) {
        const request = requestItems[tableKey] as Input;
        const refusedHere = refused.get(tableKey);
        if (refusedHere === undefined) reduced[tableKey] = request;
        else {
          const kept = (request.Keys as unknown[]).filter((key) => !refusedHere.includes(key));
          if (kept.length > 0) reduced[tableKey] = { ...request, Keys: kept };
        }
      }
      input.RequestItems = reduced;
    }
    return runAndSettle(handler, input, context, reservations, mode, tracker, false, (result) => {
      if (refused.size === 0) return;
      const unprocessed = (isMap(result.UnprocessedKeys) ? result.UnprocessedKeys : (result.UnprocessedKeys = {})) as Record<string, Input>;
      for (const [tableKey, keys] of refused) {
        const existing = unprocessed[tableKey];
        const request = requestItems[tableKey] as Input;
        unprocessed[tableKey] = { ...request, Keys: [...((existing?.Keys as unknown[] | undefined) ?? []), ...keys] };
      }
    });
  };
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
