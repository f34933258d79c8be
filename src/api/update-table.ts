// UpdateTable: billing mode, throughput, deletion protection, streams, and creating or
// deleting global secondary indexes (built in the background, CREATING until done).
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { backfillIndex, eraseIndex } from '../engine/index-backfill.js';
import { checkUpdateTable } from './validate/table.js';
import { checkTableName } from './validate/common.js';
import { tableDescription } from './table-description.js';
import { checkWarmThroughput } from './warm-throughput.js';

export async function updateTable(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const name = checkTableName(input.TableName, 'tableName');
  const table = db.catalog.get(name);
  const { spec, createIndexes, deleteIndexes } = checkUpdateTable(input, table.spec);
  if (input.WarmThroughput !== undefined) spec.WarmThroughput = checkWarmThroughput(input.WarmThroughput, table.spec.WarmThroughput);
  const nowSeconds = db.clock.now() / 1000;
  recordThroughputChange(table, spec.ProvisionedThroughput, nowSeconds);
  if (spec.TableClass !== table.spec.TableClass) table.tableClassUpdatedAt = nowSeconds;
  let next = Math.max(0, ...Object.values(table.indexNumbers)) + 1;
  for (const indexName of createIndexes) table.indexNumbers[indexName] = next++;
  const deletedNumbers = deleteIndexes.map((indexName) => table.indexNumbers[indexName]!);
  table.spec = spec;
  await db.catalog.save(table);
  for (const indexNumber of deletedNumbers) {
    db.runInBackground(`erasing an index of ${name}`, () => eraseIndex(db, table.tableNumber, indexNumber));
  }
  for (const indexName of createIndexes) {
    db.runInBackground(`building index ${indexName} of ${name}`, () => backfillIndex(db, table, indexName));
  }
  return { TableDescription: tableDescription(table, db.catalog, 'UPDATING') };
}

function recordThroughputChange(table: TableRecord, next: { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined, nowSeconds: number): void {
  const current = table.spec.ProvisionedThroughput;
  if (!current || !next) return;
  const history = table.throughputHistory;
  if (next.ReadCapacityUnits > current.ReadCapacityUnits || next.WriteCapacityUnits > current.WriteCapacityUnits) {
    history.lastIncreaseAt = nowSeconds;
  }
  if (next.ReadCapacityUnits < current.ReadCapacityUnits || next.WriteCapacityUnits < current.WriteCapacityUnits) {
    history.lastDecreaseAt = nowSeconds;
    history.decreasesToday++;
  }
}
