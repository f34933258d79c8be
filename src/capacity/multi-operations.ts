// Admission for the operations that touch many items, each item against its own partition
// (and, for writes, its GSI partitions): BatchWriteItem and BatchGetItem return the refused
// items in UnprocessedItems / UnprocessedKeys and process the rest (refusing the whole call
// only when nothing can be admitted, as DynamoDB does); TransactWriteItems and
// TransactGetItems are all or nothing and are cancelled, writing nothing, when any action is
// refused.
import type { OperationHandler } from '../server/http-server.js';
import type { Item } from '../model/attribute-value.js';
import { DynamoError } from '../model/errors.js';
import { transactionalFactor, writeUnitsMin, consistentReadUnitsMin } from './capacity-limits.js';
import { chargeList, indexUnitsOf, isSettableMode, shapeConsumed, tableUnitsOf, type ConsumedElement } from './consumed.js';
import { positionOf, type CapacityTracker, type TableCapacity } from './table-capacity.js';
import { throttleCancellationReason, throttleError, throttledTransaction, type Operation, type Throttle } from './throttle-errors.js';
import { putBytes, putUnits, readEstimate, tableNameOf } from './single-operations.js';
import { batchGetKeysMax, batchWriteRequestsMax, transactItemsMax, transactRequestBytesMax } from '../model/limits.js';
import {
  indexPositionsOf, isThrottle, release, reserve, settlePartitions, storedIndexPositions, type Reservation,
} from './admission.js';

type Input = Record<string, unknown>;

function isMap(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Admits one item against its table; the refusal, or undefined once `reservations` holds what it reserved. */
function admitItem(
  state: TableCapacity,
  operation: Operation,
  units: number,
  keySource: unknown,
  indexPositions: number[] | undefined,
  nowMs: number,
  reservations: Reservation[],
): Throttle | undefined {
  const position = isMap(keySource) ? positionOf(keySource[state.partitionKeyName]) : undefined;
  const admitted = reserve(state, state.table, operation, units, position, indexPositions, nowMs);
  if (isThrottle(admitted)) return admitted;
  reservations.push(admitted);
  return undefined;
}

/** What a write reaches in the table's GSIs: a Put's new item, or the stored item an Update or Delete changes. */
function writeIndexPositions(state: TableCapacity, put: Input | undefined, keySource: unknown, tracker: CapacityTracker, nowMs: number): number[] | undefined {
  if (put !== undefined) return indexPositionsOf(state, isMap(put) ? (put as Item) : undefined);
  return storedIndexPositions(state, keySource, tracker.db, nowMs);
}

/**
 * Settles every reservation of a request against its exact ConsumedCapacity: the buckets from
 * each table's element, the partitions per item. ConsumedCapacity is per table, so each item's
 * partition gets its share of its table's units in proportion to its estimate: exact when the
 * estimates are (puts of new items), and whenever a table's items share one partition.
 */
function settleAll(reservations: Reservation[], consumed: unknown, tracker: CapacityTracker, nowMs: number): void {
  for (const reservation of reservations) release(reservation, nowMs, false);
  chargeList(tracker, consumed, nowMs);
  const elements = new Map<string, ConsumedElement>();
  if (Array.isArray(consumed)) for (const element of consumed as ConsumedElement[]) if (element?.TableName) elements.set(element.TableName, element);
  const totals = new Map<TableCapacity, Totals>();
  for (const reservation of reservations) {
    let total = totals.get(reservation.state);
    if (total === undefined) totals.set(reservation.state, (total = new Totals(reservation.state.globalIndexList.length)));
    total.add(reservation);
  }
  for (const reservation of reservations) {
    const { state, operation, units } = reservation;
    const total = totals.get(state)!;
    const element = elements.get(state.spec.TableName);
    const tableActual = element === undefined ? 0 : tableUnitsOf(element, operation);
    const estimated = operation === 'read' ? total.read : total.write;
    const actual = estimated > 0 ? (tableActual * units) / estimated : 0;
    settlePartitions(reservation, actual, (i) => total.indexShare(reservation, i, element === undefined ? 0 : indexUnitsOf(element, state.globalIndexNames[i]!, 'write')), nowMs);
  }
}

/** Estimates of one table's items in a request: per operation, and per GSI for the writes placed on a GSI partition. */
class Totals {
  read = 0;
  write = 0;
  writes = 0;
  readonly indexPlaced: number[];

  constructor(indexCount: number) {
    this.indexPlaced = new Array<number>(indexCount).fill(0);
  }

  add(reservation: Reservation): void {
    if (reservation.operation === 'read') {
      this.read += reservation.units;
      return;
    }
    this.write += reservation.units;
    this.writes++;
    const positions = reservation.indexPositions;
    if (positions === undefined) return;
    for (let i = 0; i < positions.length; i++) if (!Number.isNaN(positions[i]!)) this.indexPlaced[i]! += reservation.indexUnits;
  }

  /** A write's share of what GSI `i` consumed: by estimate among the placed writes, evenly when none was placed. */
  indexShare(reservation: Reservation, i: number, indexActual: number): number {
    const placed = this.indexPlaced[i]!;
    const position = reservation.indexPositions?.[i] ?? NaN;
    if (placed > 0) return Number.isNaN(position) ? 0 : (indexActual * reservation.indexUnits) / placed;
    return this.writes > 0 ? indexActual / this.writes : 0;
  }
}

/**
 * Runs the (possibly reduced) request, then settles the reservations against the exact
 * ConsumedCapacity; a failed request gives them back.
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
    const response = (result ?? {}) as Input;
    settleAll(reservations, response.ConsumedCapacity, tracker, tracker.now());
    finish(response);
    return shapeConsumed(result, mode);
  };
  const onError = (error: unknown): never => {
    // unverified: what a cancelled transaction consumes; the reserved minimum stays charged.
    const cancelled = keepOnCancel && error instanceof DynamoError && error.name === 'TransactionCanceledException';
    if (!cancelled) {
      const nowMs = tracker.now();
      for (const reservation of reservations) release(reservation, nowMs, true);
    }
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
  admitEntry(state: TableCapacity, request: unknown, entry: unknown, tracker: CapacityTracker, nowMs: number, reservations: Reservation[]): Throttle | undefined;
  /** Whether the operation refuses the request for its entry count: its ValidationException comes first. */
  overLimit(requestItems: Input): boolean;
}

function entryCountOver(shape: BatchShape, requestItems: Input, max: number): boolean {
  let count = 0;
  for (const tableKey in requestItems) count += shape.entriesOf(requestItems[tableKey])?.length ?? 0;
  return count > max;
}

const batchWrite: BatchShape = {
  unprocessedName: 'UnprocessedItems',
  entriesOf: (list) => (Array.isArray(list) ? list : undefined),
  withEntries: (_list, entries) => entries,
  admitEntry(state, _list, entry, tracker, nowMs, reservations) {
    const put = isMap(entry) && isMap(entry.PutRequest) ? entry.PutRequest : undefined;
    const del = isMap(entry) && isMap(entry.DeleteRequest) ? entry.DeleteRequest : undefined;
    const keySource = put !== undefined ? put.Item : del?.Key;
    const units = put !== undefined ? putUnits(put.Item) : writeUnitsMin;
    const indexPositions = writeIndexPositions(state, put === undefined ? undefined : (put.Item as Input), keySource, tracker, nowMs);
    return admitItem(state, 'write', units, keySource, indexPositions, nowMs, reservations);
  },
  overLimit: (requestItems) => entryCountOver(batchWrite, requestItems, batchWriteRequestsMax),
};

const batchGet: BatchShape = {
  unprocessedName: 'UnprocessedKeys',
  entriesOf: (request) => (isMap(request) && Array.isArray(request.Keys) ? request.Keys : undefined),
  withEntries: (request, keys) => ({ ...(request as Input), Keys: keys }),
  admitEntry: (state, request, key, _tracker, nowMs, reservations) =>
    admitItem(state, 'read', readEstimate((request as Input).ConsistentRead), key, undefined, nowMs, reservations),
  overLimit: (requestItems) => entryCountOver(batchGet, requestItems, batchGetKeysMax),
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
    if (!isSettableMode(mode) || !isMap(requestItems) || shape.overLimit(requestItems)) return handler(input, context);
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
        const throttle = shape.admitEntry(state, request, entry, tracker, nowMs, reservations);
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
    if (!isSettableMode(mode) || !Array.isArray(items) || overTransactionLimits(items)) return handler(input, context);
    const nowMs = tracker.now();
    const reservations: Reservation[] = [];
    const refusals: (Throttle | undefined)[] = [];
    let refusedAny = false;
    for (const entry of items as unknown[]) {
      let refusal: Throttle | undefined;
      const target = transactTarget(entry, kind);
      const state = target === undefined ? undefined : tracker.table(tableNameOf(target.tableName), nowMs);
      if (target !== undefined && state !== undefined) {
        // Transactional reads (consistent) and writes cost double (developer guide,
        // "Capacity management for transactions"); a Put's estimate is its item's size.
        const base = target.operation === 'read' ? consistentReadUnitsMin : target.put !== undefined ? putUnits(target.put) : writeUnitsMin;
        const indexPositions = target.operation === 'write' ? writeIndexPositions(state, target.put, target.keySource, tracker, nowMs) : undefined;
        refusal = admitItem(state, target.operation, transactionalFactor * base, target.keySource, indexPositions, nowMs, reservations);
      }
      if (refusal !== undefined) refusedAny = true;
      refusals.push(refusal);
    }
    if (refusedAny) {
      for (const reservation of reservations) release(reservation, nowMs, true);
      // A transaction short of capacity is cancelled: TransactionCanceledException with a
      // ProvisionedThroughputExceeded (provisioned) or ThrottlingError (on-demand) reason for
      // the throttled action and None for the others (API reference,
      // TransactionCanceledException). unverified: whether DynamoDB ever answers a throttled
      // transaction with ProvisionedThroughputExceededException instead (also listed).
      throw throttledTransaction(refusals.map((refusal) => (refusal === undefined ? { Code: 'None' } : throttleCancellationReason(refusal))));
    }
    return runAndSettle(handler, input, context, reservations, mode, tracker, true, () => {});
  };
}

/**
 * Whether the operation will refuse the request for its size (too many actions, a payload over
 * 4 MB): its ValidationException comes before any throttling, so it is left to the operation.
 */
function overTransactionLimits(items: unknown[]): boolean {
  if (items.length > transactItemsMax) return true;
  let bytes = 0;
  for (const entry of items) if (isMap(entry) && isMap(entry.Put)) bytes += putBytes(entry.Put.Item);
  return bytes > transactRequestBytesMax;
}

interface TransactTarget {
  tableName: string;
  operation: Operation;
  keySource: unknown;
  /** A Put's item. */
  put: Input | undefined;
}

function transactTarget(entry: unknown, kind: 'write' | 'get'): TransactTarget | undefined {
  if (!isMap(entry)) return undefined;
  if (kind === 'get') {
    const get = entry.Get;
    return isMap(get) && typeof get.TableName === 'string' ? { tableName: get.TableName, operation: 'read', keySource: get.Key, put: undefined } : undefined;
  }
  for (const name of writeActionNames) {
    const action = entry[name];
    if (!isMap(action) || typeof action.TableName !== 'string') continue;
    const put = name === 'Put' && isMap(action.Item) ? action.Item : undefined;
    return {
      tableName: action.TableName,
      operation: name === 'ConditionCheck' ? 'read' : 'write',
      keySource: name === 'Put' ? action.Item : action.Key,
      put,
    };
  }
  return undefined;
}
