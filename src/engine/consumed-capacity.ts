// Capacity arithmetic exactly as DynamoDB charges it: writes in 1 KB units, reads in 4 KB
// units, eventually consistent reads at half, transactional operations at double.
import { readUnitBytes, writeUnitBytes } from '../model/limits.js';
import type { TableRecord } from './catalog.js';
import type { IndexWrites } from './index-maintenance.js';

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE';

/** Write units for an item of `sizeBytes` (a missing item still costs one unit). */
export function writeUnits(sizeBytes: number): number {
  return Math.max(1, Math.ceil(sizeBytes / writeUnitBytes));
}

/** Read units for `sizeBytes` read in one request (rounded up once, minimum one unit). */
export function readUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / readUnitBytes));
  return consistent ? units : units / 2;
}

export interface CapacityCharge {
  table: number;
  /** Units per secondary index, by index name, with whether the index is global. */
  indexes?: { name: string; global: boolean; units: number }[];
}

export function chargeFromIndexWrites(tableUnits: number, writes: IndexWrites, table: TableRecord): CapacityCharge {
  if (writes.size === 0) return { table: tableUnits };
  const indexes: CapacityCharge['indexes'] = [];
  for (const [index, units] of writes) {
    indexes.push({ name: index.IndexName, global: table.spec.GlobalSecondaryIndexes.includes(index), units });
  }
  return { table: tableUnits, indexes };
}

/** The ConsumedCapacity element of a response, or undefined when not asked for. */
export function consumedCapacity(
  mode: unknown,
  tableName: string,
  charge: CapacityCharge,
  kind: 'read' | 'write',
): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const unitsField = kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits';
  const units = (n: number) => ({ CapacityUnits: n, [unitsField]: n });
  let total = charge.table;
  for (const index of charge.indexes ?? []) total += index.units;
  const out: Record<string, unknown> = { TableName: tableName, ...units(total) };
  if (mode === 'INDEXES') {
    out.Table = units(charge.table);
    for (const index of charge.indexes ?? []) {
      const field = index.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
      const group = (out[field] ??= {}) as Record<string, unknown>;
      group[index.name] = units(index.units);
    }
  }
  return out;
}
