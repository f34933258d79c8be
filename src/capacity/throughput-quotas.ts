// The account's throughput quotas, checked when CreateTable or UpdateTable would set
// throughput: provisioned RCU/WCU per table and per GSI (40,000 each), the account's total of
// provisioned tables and their GSIs (80,000 each), and on-demand MaxRead/WriteRequestUnits
// (the per-table maximum). Values DescribeLimits reports. The texts are the service's, as
// recorded in field reports (2023-2026); those marked unverified are completed by analogy.
import type { Catalog } from '../engine/catalog.js';
import type { IndexSpec, TableSpec } from '../engine/table-spec.js';
import type { OperationHandler } from '../server/http-server.js';
import { DynamoError } from '../model/errors.js';
import { checkCreateTable } from '../api/validate/table.js';
import type { Database } from '../engine/database.js';
import { accountCapacityUnitsMax, indexCapacityUnitsMax, onDemandTableRequestUnitsMax, tableCapacityUnitsMax } from './capacity-limits.js';

type Dimension = 'ReadCapacityUnits' | 'WriteCapacityUnits';
const dimensions: readonly Dimension[] = ['ReadCapacityUnits', 'WriteCapacityUnits'];
const limitsAdvice = 'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.';

function limitExceeded(message: string): DynamoError {
  return new DynamoError('LimitExceededException', message);
}

// Verified (2026 field reports): "The requested ReadCapacityUnits, 50000, is above the per
// table maximum for the account in us-west-2. Per table maximum: 40000. Refer to ...".
export function tableMaximumMessage(dimension: Dimension, units: number, region: string): string {
  return `The requested ${dimension}, ${units}, is above the per table maximum for the account in ${region}. Per table maximum: ${tableCapacityUnitsMax}. ${limitsAdvice}`;
}

// unverified beyond "... for index <IDX>, <N>, is above the per index maximum ...".
export function indexMaximumMessage(dimension: Dimension, indexName: string, units: number, region: string): string {
  return `The requested ${dimension} for index ${indexName}, ${units}, is above the per index maximum for the account in ${region}. Per index maximum: ${indexCapacityUnitsMax}. ${limitsAdvice}`;
}

// Verified up to "Requested: M."; the closing advice is assumed to be the per-table text's.
export function accountMaximumMessage(dimension: Dimension, reserved: number, requested: number, region: string): string {
  return (
    `This request would have caused the ${dimension} limit to be exceeded for the account in ${region}. ` +
    `Current ${dimension} reserved by the account: ${reserved}. Limit: ${accountCapacityUnitsMax}. Requested: ${requested}. ${limitsAdvice}`
  );
}

// Verified for MaxReadRequestUnits on a table and on an index ("for index : gsi1");
// unverified: the write variant, assumed symmetric.
export function onDemandMaximumMessage(member: 'MaxReadRequestUnits' | 'MaxWriteRequestUnits', subject: string, region: string): string {
  const quota = member === 'MaxReadRequestUnits' ? 'TableMaxReadCapacityUnits' : 'TableMaxWriteCapacityUnits';
  return `Subscriber limit exceeded: Requested ${member} for OnDemandThroughput for ${subject} exceeds ${quota} of the account in region ${region}`;
}

/** Provisioned units of a table and its GSIs for one dimension (0 for an on-demand table). */
function provisionedTotal(spec: TableSpec, dimension: Dimension): number {
  if (spec.BillingMode !== 'PROVISIONED') return 0;
  let units = spec.ProvisionedThroughput?.[dimension] ?? 0;
  for (const index of spec.GlobalSecondaryIndexes) units += index.ProvisionedThroughput?.[dimension] ?? 0;
  return units;
}

/**
 * Refuses a table definition over the quotas. `current` is the table as it stands (UpdateTable):
 * then only what the request raises is held to the quotas, so a table created under higher
 * quotas can still be changed in other ways.
 */
export function checkThroughputQuotas(spec: TableSpec, region: string, catalog: Catalog, current?: TableSpec): void {
  if (spec.BillingMode === 'PROVISIONED') {
    for (const dimension of dimensions) {
      const units = spec.ProvisionedThroughput?.[dimension] ?? 0;
      if (units > tableCapacityUnitsMax && units > (current?.ProvisionedThroughput?.[dimension] ?? 0)) {
        throw limitExceeded(tableMaximumMessage(dimension, units, region));
      }
    }
    for (const index of spec.GlobalSecondaryIndexes) {
      const before = current?.GlobalSecondaryIndexes.find((existing) => existing.IndexName === index.IndexName);
      for (const dimension of dimensions) {
        const units = index.ProvisionedThroughput?.[dimension] ?? 0;
        if (units > indexCapacityUnitsMax && units > (before?.ProvisionedThroughput?.[dimension] ?? 0)) {
          throw limitExceeded(indexMaximumMessage(dimension, index.IndexName, units, region));
        }
      }
    }
    for (const dimension of dimensions) {
      const requested = provisionedTotal(spec, dimension);
      if (current !== undefined && requested <= provisionedTotal(current, dimension)) continue;
      let reserved = 0;
      for (const name of catalog.names()) {
        if (name !== spec.TableName) reserved += provisionedTotal(catalog.find(name)?.spec ?? spec, dimension);
      }
      if (reserved + requested > accountCapacityUnitsMax) throw limitExceeded(accountMaximumMessage(dimension, reserved, requested, region));
    }
    return;
  }
  checkOnDemandMaximum(spec.OnDemandThroughput, 'table', region);
  for (const index of spec.GlobalSecondaryIndexes) checkOnDemandMaximum(index.OnDemandThroughput, `index : ${index.IndexName}`, region);
}

function checkOnDemandMaximum(onDemand: IndexSpec['OnDemandThroughput'], subject: string, region: string): void {
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    const units = onDemand?.[member];
    if (units !== undefined && units > onDemandTableRequestUnitsMax) throw limitExceeded(onDemandMaximumMessage(member, subject, region));
  }
}

/**
 * CreateTable held to the quotas: a request CreateTable's validation accepts is checked
 * before the table is made (validation errors and ResourceInUseException keep precedence).
 * Applied by the server whether or not throttling is on: quotas are account limits.
 */
export function withThroughputQuotas(handlers: Record<string, OperationHandler>, db: Database): Record<string, OperationHandler> {
  const createTable = handlers.CreateTable;
  if (createTable === undefined) return handlers;
  return {
    ...handlers,
    CreateTable: (input, context) => {
      let spec: TableSpec;
      try {
        spec = checkCreateTable(input);
      } catch {
        return createTable(input, context); // the operation reports what is wrong
      }
      if (db.catalog.find(spec.TableName) === undefined) checkThroughputQuotas(spec, db.region, db.catalog);
      return createTable(input, context);
    },
  };
}
