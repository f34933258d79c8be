// Reading the exact ConsumedCapacity an operation computed (always asked for as INDEXES) to
// charge the buckets, and giving the client the shape it asked for: none, TOTAL or INDEXES.
// The TOTAL shape is the INDEXES shape without Table, GlobalSecondaryIndexes and
// LocalSecondaryIndexes (engine/consumed-capacity.ts and CapacityByTable build both that way).
import type { CapacityTracker, TableCapacity } from './table-capacity.js';

type Units = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
type Element = {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: Units;
  LocalSecondaryIndexes?: Record<string, Units>;
  GlobalSecondaryIndexes?: Record<string, Units>;
};

/** Whether the wrapper may set ReturnConsumedCapacity: absent or valid. An invalid value is left for validation to refuse. */
export function isSettableMode(mode: unknown): boolean {
  return mode === undefined || mode === null || mode === 'NONE' || mode === 'TOTAL' || mode === 'INDEXES';
}

/** Restores the ConsumedCapacity member to what the client asked for (`mode`). */
export function shapeConsumed(result: unknown, mode: unknown): unknown {
  if (mode === 'INDEXES' || result === null || typeof result !== 'object') return result;
  const response = result as Record<string, unknown>;
  const consumed = response.ConsumedCapacity;
  if (consumed === undefined) return result;
  if (mode !== 'TOTAL') {
    // Assigning undefined, not delete: JSON.stringify omits it, and the response object keeps
    // its fast shape for the serializer.
    response.ConsumedCapacity = undefined;
  } else if (Array.isArray(consumed)) {
    for (const element of consumed) stripIndexes(element as Element);
  } else {
    stripIndexes(consumed as Element);
  }
  return result;
}

function stripIndexes(element: Element): void {
  element.Table = undefined;
  element.LocalSecondaryIndexes = undefined;
  element.GlobalSecondaryIndexes = undefined;
}

/** Read and write units of one units member (a single-kind member may carry CapacityUnits only). */
function readOf(units: Units | undefined): number {
  return units?.ReadCapacityUnits ?? 0;
}
function writeOf(units: Units | undefined): number {
  return units?.WriteCapacityUnits ?? 0;
}

/**
 * Charges one ConsumedCapacity element (INDEXES shape) to the table's buckets: the table's own
 * units and its LSIs' to the table (LSIs share the table's throughput), each GSI's to the GSI.
 */
export function chargeElement(state: TableCapacity, element: Element, nowMs: number): void {
  let read = readOf(element.Table);
  let write = writeOf(element.Table);
  if (element.Table === undefined) {
    read = element.ReadCapacityUnits ?? 0;
    write = element.WriteCapacityUnits ?? 0;
  }
  const locals = element.LocalSecondaryIndexes;
  if (locals !== undefined) {
    for (const name in locals) {
      read += readOf(locals[name]);
      write += writeOf(locals[name]);
    }
  }
  state.table.charge('read', read, nowMs);
  state.table.charge('write', write, nowMs);
  const globals = element.GlobalSecondaryIndexes;
  if (globals !== undefined) {
    for (const name in globals) {
      const index = state.globalIndexes.get(name);
      if (index === undefined) continue;
      index.charge('read', readOf(globals[name]), nowMs);
      index.charge('write', writeOf(globals[name]), nowMs);
    }
  }
}

/** Units one element charged to the table itself (with its LSIs) for `kind`. */
export function tableUnitsOf(element: Element, kind: 'read' | 'write'): number {
  const pick = kind === 'read' ? readOf : writeOf;
  let units = element.Table === undefined ? pick(element) : pick(element.Table);
  const locals = element.LocalSecondaryIndexes;
  if (locals !== undefined) for (const name in locals) units += pick(locals[name]);
  return units;
}

/** Units one element charged to a GSI. */
export function indexUnitsOf(element: Element, indexName: string, kind: 'read' | 'write'): number {
  const units = element.GlobalSecondaryIndexes?.[indexName];
  return kind === 'read' ? readOf(units) : writeOf(units);
}

/** Charges every element of a multi-table ConsumedCapacity list. */
export function chargeList(tracker: CapacityTracker, consumed: unknown, nowMs: number): void {
  if (!Array.isArray(consumed)) return;
  for (const element of consumed as Element[]) {
    if (typeof element?.TableName !== 'string') continue;
    const state = tracker.table(element.TableName, nowMs);
    if (state !== undefined) chargeElement(state, element, nowMs);
  }
}

export type { Element as ConsumedElement };
