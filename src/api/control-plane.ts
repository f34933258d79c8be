// Table lifecycle operations: CreateTable, DescribeTable, ListTables, DeleteTable, and the
// account-level DescribeLimits / DescribeEndpoints.
import type { Database } from '../engine/database.js';
import { eraseTable } from '../engine/erase.js';
import { backupServiceOf } from '../backup/index.js';
import { DynamoError } from '../model/errors.js';
import { listTablesLimitMax } from '../model/limits.js';
import { accountCapacityUnitsMax, tableCapacityUnitsMax } from '../capacity/capacity-limits.js';
import { checkCreateTable } from './validate/table.js';
import { checkTableName, ConstraintErrors, collectTableNameErrors } from './validate/common.js';
import { deletedTableDescription, tableDescription } from './table-description.js';
import { checkWarmThroughput } from './warm-throughput.js';

type Input = Record<string, unknown>;

export async function createTable(input: Input, db: Database): Promise<unknown> {
  const spec = checkCreateTable(input);
  if (input.WarmThroughput !== undefined) spec.WarmThroughput = checkWarmThroughput(input.WarmThroughput, undefined);
  const record = await db.catalog.create(spec, db.clock.now());
  // DynamoDB answers CREATING; our tables are usable as soon as the call returns.
  return { TableDescription: tableDescription(record, db.catalog, 'CREATING') };
}

export function describeTable(input: Input, db: Database): unknown {
  const name = checkTableName(input.TableName, 'tableName');
  const record = db.catalog.get(name);
  return { Table: tableDescription(record, db.catalog) };
}

export async function deleteTable(input: Input, db: Database): Promise<unknown> {
  const name = checkTableName(input.TableName, 'tableName');
  const record = db.catalog.get(name);
  if (record.spec.DeletionProtectionEnabled) {
    throw new DynamoError(
      'ValidationException',
      `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`,
    );
  }
  const description = deletedTableDescription(record, db.catalog);
  await db.catalog.remove(record);
  // With point-in-time recovery on, DynamoDB keeps a SYSTEM backup of the table's last state for
  // 35 days; the backup erases the items once it has copied them (src/backup/backups.ts).
  if (record.pointInTimeRecovery) await backupServiceOf(db).backups.createSystem(record);
  else db.runInBackground(`erasing table ${name}`, () => eraseTable(db.store, record.tableNumber));
  return { TableDescription: description };
}

export function listTables(input: Input, db: Database): unknown {
  const errors = new ConstraintErrors();
  const limit = input.Limit;
  if (typeof limit === 'number') {
    errors.minValue('limit', limit, 1);
    errors.maxValue('limit', limit, listTablesLimitMax);
  }
  const start = input.ExclusiveStartTableName === undefined ? undefined : collectTableNameErrors(errors, input.ExclusiveStartTableName, 'exclusiveStartTableName');
  errors.throwIfAny();
  const pageSize = typeof limit === 'number' ? limit : listTablesLimitMax;
  const names = db.catalog.names().filter((name) => start === undefined || name > start);
  const page = names.slice(0, pageSize);
  const result: Record<string, unknown> = { TableNames: page };
  if (names.length > pageSize) result.LastEvaluatedTableName = page[page.length - 1];
  return result;
}

export function describeLimits(): unknown {
  return {
    // The same quotas CreateTable and UpdateTable enforce (src/capacity/throughput-quotas.ts).
    AccountMaxReadCapacityUnits: accountCapacityUnitsMax,
    AccountMaxWriteCapacityUnits: accountCapacityUnitsMax,
    TableMaxReadCapacityUnits: tableCapacityUnitsMax,
    TableMaxWriteCapacityUnits: tableCapacityUnitsMax,
  };
}

/** The endpoint is the one the client called: the Host it addressed, as DynamoDB answers. */
export function describeEndpoints(host: string, db: Database): unknown {
  return { Endpoints: [{ Address: host || `dynamodb.${db.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] };
}
