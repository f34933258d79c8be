// UpdateTable: billing mode, throughput, deletion protection, streams, and creating or
// deleting global secondary indexes (built in the background, CREATING until done).
import type { Database } from '../engine/database.js';
import { backfillIndex, eraseIndex } from '../engine/index-backfill.js';
import { checkUpdateTable } from './validate/table.js';
import { checkTableName } from './validate/common.js';
import { tableDescription } from './table-description.js';
import { checkWarmThroughput } from './warm-throughput.js';
import { applyThroughputChanges, checkThroughputQuotas, type ThroughputHistory } from '../capacity/index.js';

export async function updateTable(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const name = checkTableName(input.TableName, 'tableName');
  const table = db.catalog.get(name);
  const { spec, createIndexes, deleteIndexes } = checkUpdateTable(input, table.spec);
  if (input.WarmThroughput !== undefined) spec.WarmThroughput = checkWarmThroughput(input.WarmThroughput, table.spec.WarmThroughput);
  const nowSeconds = db.clock.now() / 1000;
  // Account quotas, then the decrease budget (LimitExceededException); neither records anything when it refuses.
  checkThroughputQuotas(spec, db.region, db.catalog, table.spec);
  applyThroughputChanges(table.throughputHistory, table.spec, spec, nowSeconds);
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
