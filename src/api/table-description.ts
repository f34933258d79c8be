// DescribeTable's TableDescription: a projection of the catalog record and its live counts.
import type { Catalog, TableRecord } from '../engine/catalog.js';
import { hashElements, rangeElements, type IndexSpec, type KeySchema } from '../engine/table-spec.js';
import { describeWarmThroughput } from './warm-throughput.js';
import { describeProvisionedThroughput, type ThroughputHistory } from '../capacity/throughput-decreases.js';

export function keySchemaOut(schema: KeySchema): { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[] {
  return [
    ...hashElements(schema).map((element) => ({ AttributeName: element.name, KeyType: 'HASH' as const })),
    ...rangeElements(schema).map((element) => ({ AttributeName: element.name, KeyType: 'RANGE' as const })),
  ];
}

export function tableDescription(record: TableRecord, catalog: Catalog, statusOverride?: string): Record<string, unknown> {
  const spec = record.spec;
  const stats = catalog.statsOf(record) ?? { itemCount: 0, sizeBytes: 0, indexes: {} };
  const history: ThroughputHistory = record.throughputHistory;
  // The decrease count restarts at 00:00 UTC, also without a change since.
  const nowSeconds = catalog.clock.now() / 1000;
  const description: Record<string, unknown> = {
    AttributeDefinitions: spec.AttributeDefinitions,
    TableName: spec.TableName,
    KeySchema: keySchemaOut(spec.keySchema),
    TableStatus: statusOverride ?? record.status,
    CreationDateTime: record.createdAt,
    ProvisionedThroughput: describeProvisionedThroughput(history, spec.ProvisionedThroughput, nowSeconds),
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: record.tableArn,
    TableId: record.tableId,
  };
  if (spec.BillingMode === 'PAY_PER_REQUEST') {
    description.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: record.createdAt };
  }
  if (spec.OnDemandThroughput) description.OnDemandThroughput = spec.OnDemandThroughput;
  const indexOut = (index: IndexSpec, global: boolean): Record<string, unknown> => {
    const indexStats = stats.indexes[record.indexNumbers[index.IndexName]!] ?? { itemCount: 0, sizeBytes: 0 };
    const out: Record<string, unknown> = {
      IndexName: index.IndexName,
      KeySchema: keySchemaOut(index.keySchema),
      Projection: index.Projection,
      IndexSizeBytes: indexStats.sizeBytes,
      ItemCount: indexStats.itemCount,
      IndexArn: `${record.tableArn}/index/${index.IndexName}`,
    };
    if (global) {
      out.IndexStatus = index.IndexStatus ?? 'ACTIVE';
      if (index.Backfilling) out.Backfilling = true;
      out.ProvisionedThroughput = describeProvisionedThroughput(history.indexes?.[index.IndexName], index.ProvisionedThroughput, nowSeconds);
      if (index.OnDemandThroughput) out.OnDemandThroughput = index.OnDemandThroughput;
      out.WarmThroughput = describeWarmThroughput(undefined);
    }
    return out;
  };
  if (spec.LocalSecondaryIndexes.length) description.LocalSecondaryIndexes = spec.LocalSecondaryIndexes.map((i) => indexOut(i, false));
  if (spec.GlobalSecondaryIndexes.length) description.GlobalSecondaryIndexes = spec.GlobalSecondaryIndexes.map((i) => indexOut(i, true));
  if (spec.StreamSpecification?.StreamEnabled) description.StreamSpecification = spec.StreamSpecification;
  // The newest stream stays named after it is disabled (src/streams/stream-registry.ts sets the label).
  if (record.latestStreamLabel !== undefined) {
    description.LatestStreamLabel = record.latestStreamLabel;
    description.LatestStreamArn = `${record.tableArn}/stream/${record.latestStreamLabel}`;
  }
  if (spec.SSESpecification?.Enabled) {
    description.SSEDescription = {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: spec.SSESpecification.KMSMasterKeyId ?? `arn:aws:kms:${catalog.region}:${catalog.accountId}:key/tabula-managed`,
    };
  }
  if (record.restoreSummary) description.RestoreSummary = record.restoreSummary;
  if (spec.TableClass) {
    description.TableClassSummary = {
      TableClass: spec.TableClass,
      ...(record.tableClassUpdatedAt !== undefined && { LastUpdateDateTime: record.tableClassUpdatedAt }),
    };
  }
  description.WarmThroughput = describeWarmThroughput(spec.WarmThroughput);
  description.DeletionProtectionEnabled = spec.DeletionProtectionEnabled;
  return description;
}

/** DeleteTable's TableDescription: DynamoDB leaves out the schema, indexes and creation time. */
export function deletedTableDescription(record: TableRecord, catalog: Catalog): Record<string, unknown> {
  const full = tableDescription(record, catalog, 'DELETING');
  const kept = ['TableName', 'TableStatus', 'ProvisionedThroughput', 'TableSizeBytes', 'ItemCount', 'TableArn', 'TableId', 'BillingModeSummary', 'DeletionProtectionEnabled'];
  const description: Record<string, unknown> = {};
  for (const field of kept) if (full[field] !== undefined) description[field] = full[field];
  return description;
}
