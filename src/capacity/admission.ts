// Admitting one item: against its table (buckets and the partition its key falls in) and, for
// a write, against every GSI: the GSI's own capacity (a GSI short of write capacity throttles
// writes to its base table: developer guide, "GSI write throttling and back pressure") and the
// GSI partition the item's index entry lands in (a hot GSI partition throttles them too, with
// the GSI named in ThrottlingReasons). What was reserved is settled once the exact
// ConsumedCapacity is known, or given back when the request fails.
import type { Item } from '../model/attribute-value.js';
import { itemKey } from '../engine/storage-keys.js';
import { readStored, type StoredItem } from '../engine/stored-item.js';
import type { Database } from '../engine/database.js';
import type { ResourceCapacity } from './resource-capacity.js';
import { positionOf, type TableCapacity } from './table-capacity.js';
import type { Operation, Throttle } from './throttle-errors.js';

/** What one admitted item reserved. */
export interface Reservation {
  state: TableCapacity;
  /** The table, or the GSI a Query reads. */
  resource: ResourceCapacity;
  operation: Operation;
  /** Reserved on the resource's buckets and on its partition. */
  units: number;
  /** Where the item's partition key falls on `resource`; undefined for a Scan. */
  position: number | undefined;
  /** Writes: per entry of state.globalIndexList, the GSI position the write reaches (NaN: none). */
  indexPositions: number[] | undefined;
  /** Reserved on each of those GSI partitions. */
  indexUnits: number;
}

export function isThrottle(result: Reservation | Throttle): result is Throttle {
  return (result as Throttle).limit !== undefined;
}

/** Reserves `units` for one item, or answers what refuses it (nothing stays reserved then). */
export function reserve(
  state: TableCapacity,
  resource: ResourceCapacity,
  operation: Operation,
  units: number,
  position: number | undefined,
  indexPositions: number[] | undefined,
  nowMs: number,
): Reservation | Throttle {
  const indexes = state.globalIndexList;
  if (operation === 'write') {
    for (const index of indexes) {
      const limit = index.indexWriteRefusal(nowMs);
      if (limit !== undefined) return index.throttle('write', limit);
    }
    if (indexPositions !== undefined) {
      for (let i = 0; i < indexes.length; i++) {
        const indexPosition = indexPositions[i]!;
        if (Number.isNaN(indexPosition) || indexes[i]!.takePartition(indexPosition, units, nowMs)) continue;
        releaseIndexPartitions(indexes, indexPositions, i, units, nowMs);
        return indexes[i]!.throttle('write', 'KeyRangeThroughputExceeded');
      }
    }
  }
  const limit = resource.admit(operation, units, position, nowMs);
  if (limit !== undefined) {
    if (operation === 'write' && indexPositions !== undefined) releaseIndexPartitions(indexes, indexPositions, indexes.length, units, nowMs);
    return resource.throttle(operation, limit);
  }
  return { state, resource, operation, units, position, indexPositions: operation === 'write' ? indexPositions : undefined, indexUnits: units };
}

/** Gives back what the first `count` GSI partitions reserved. */
function releaseIndexPartitions(indexes: ResourceCapacity[], positions: number[], count: number, units: number, nowMs: number): void {
  for (let i = 0; i < count; i++) {
    if (!Number.isNaN(positions[i]!)) indexes[i]!.partitions.charge(positions[i]!, -units, nowMs);
  }
}

/**
 * Charges the difference between what was reserved and what was consumed: `actual` on the
 * resource's partition, `indexActual(i)` on each GSI partition. The buckets are settled
 * separately, from the ConsumedCapacity element (consumed.ts).
 */
export function settlePartitions(reservation: Reservation, actual: number, indexActual: (index: number) => number, nowMs: number): void {
  const { resource, operation, units, position, indexPositions } = reservation;
  if (position !== undefined) resource.chargePartition(position, operation, actual - units, nowMs);
  if (operation !== 'write' || resource.isIndex) return;
  const indexes = reservation.state.globalIndexList;
  for (let i = 0; i < indexes.length; i++) {
    const indexPosition = indexPositions?.[i] ?? NaN;
    // A write whose GSI partition was not placed still counts toward the GSI's warmth.
    if (Number.isNaN(indexPosition)) indexes[i]!.partitions.countUnplaced(indexActual(i), nowMs);
    else indexes[i]!.partitions.charge(indexPosition, indexActual(i) - reservation.indexUnits, nowMs);
  }
}

/** Gives a reservation back: the buckets always, the partitions when the request did nothing. */
export function release(reservation: Reservation, nowMs: number, partitions: boolean): void {
  reservation.resource.charge(reservation.operation, -reservation.units, nowMs);
  if (partitions) settlePartitions(reservation, 0, noUnits, nowMs);
}

const noUnits = (): number => 0;

/**
 * The GSI partitions a write reaches, from the item it writes (a Put) or the stored item it
 * changes (Update, Delete). Undefined when the table has no GSI; NaN for a GSI whose key the
 * item lacks (a sparse index gets no entry).
 */
export function indexPositionsOf(state: TableCapacity, item: Item | undefined): number[] | undefined {
  const names = state.globalIndexKeyNames;
  if (names.length === 0) return undefined;
  const positions: number[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) positions[i] = item === undefined ? NaN : (positionOf(item[names[i]!]) ?? NaN);
  return positions;
}

/**
 * The GSI partitions an Update or Delete reaches, through the stored item: read only when a
 * GSI is warm (below half a partition's ceiling in this second and the last, no GSI
 * partition can be near its ceiling, and the read is skipped). unverified simplification:
 * an update that moves the item to another GSI key is charged at the key it had.
 */
export function storedIndexPositions(state: TableCapacity, keySource: unknown, db: Database, nowMs: number): number[] | undefined {
  const indexes = state.globalIndexList;
  if (indexes.length === 0) return undefined;
  let warm = false;
  for (const index of indexes) if (index.partitions.isWarm(nowMs)) warm = true;
  if (!warm) return undefined;
  return indexPositionsOf(state, storedItemOf(state, keySource, db)?.[1]);
}

/** The stored item a request's key (or item) names; undefined when absent or unreadable. */
export function storedItemOf(state: TableCapacity, source: unknown, db: Database): StoredItem | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const schema = state.spec.keySchema;
  const values = source as Item;
  const key: Item = { [schema.partitionKey.name]: values[schema.partitionKey.name]! };
  if (schema.sortKey) key[schema.sortKey.name] = values[schema.sortKey.name]!;
  try {
    return readStored((storageKey) => db.store.get(storageKey), itemKey(state.record.tableNumber, schema, key));
  } catch {
    return undefined;
  }
}
