// The definition of a table made by RestoreTableFromBackup / RestoreTableToPointInTime: the
// source's key schema, indexes, capacity and encryption settings, with the request's overrides
// (BillingModeOverride, ProvisionedThroughputOverride, OnDemandThroughputOverride,
// GlobalSecondaryIndexOverride, LocalSecondaryIndexOverride, SSESpecificationOverride).
// Streams, TTL, tags, deletion protection and PITR settings are not restored, as in DynamoDB.
// The result is checked as a CreateTable request, so an override DynamoDB would refuse at
// CreateTable is refused with CreateTable's text.
import type { IndexSpec, TableSpec } from '../engine/table-spec.js';
import { checkCreateTable } from './validate/table.js';
import { optionalList, optionalString, optionalStructure } from './validate/common.js';
import { keySchemaOut } from './table-description.js';

type Input = Record<string, unknown>;

export function restoredTableSpec(source: TableSpec, targetTableName: string, input: Input): TableSpec {
  const billingMode = optionalString(input.BillingModeOverride) ?? source.BillingMode;
  const throughputOverride = optionalStructure(input.ProvisionedThroughputOverride);
  const onDemandOverride = optionalStructure(input.OnDemandThroughputOverride);
  const tableThroughput = throughputOverride ?? (billingMode === 'PROVISIONED' ? source.ProvisionedThroughput : undefined);
  const sourceIndexes = new Map(source.GlobalSecondaryIndexes.map((index) => [index.IndexName, index]));
  const globals = (optionalList(input.GlobalSecondaryIndexOverride) ?? source.GlobalSecondaryIndexes.filter((i) => i.IndexStatus !== 'DELETING').map(indexInput)).map(
    (entry) => {
      const index = { ...(optionalStructure(entry) ?? {}) };
      if (billingMode === 'PAY_PER_REQUEST') {
        // Capacity of the source's indexes does not carry over to an on-demand table.
        if (input.GlobalSecondaryIndexOverride === undefined) delete index.ProvisionedThroughput;
      } else if (index.ProvisionedThroughput === undefined) {
        const name = typeof index.IndexName === 'string' ? index.IndexName : '';
        index.ProvisionedThroughput = sourceIndexes.get(name)?.ProvisionedThroughput ?? tableThroughput;
      }
      return index;
    },
  );
  const locals = optionalList(input.LocalSecondaryIndexOverride) ?? source.LocalSecondaryIndexes.map(indexInput);
  const request: Input = {
    TableName: targetTableName,
    AttributeDefinitions: usedDefinitions(source, [keySchemaOut(source.keySchema), ...[...globals, ...locals].map(keySchemaOf)]),
    KeySchema: keySchemaOut(source.keySchema),
    BillingMode: billingMode,
  };
  if (tableThroughput) request.ProvisionedThroughput = tableThroughput;
  const onDemand = onDemandOverride ?? (billingMode === 'PAY_PER_REQUEST' ? source.OnDemandThroughput : undefined);
  if (onDemand) request.OnDemandThroughput = onDemand;
  if (globals.length > 0) request.GlobalSecondaryIndexes = globals;
  if (locals.length > 0) request.LocalSecondaryIndexes = locals;
  const sse = optionalStructure(input.SSESpecificationOverride) ?? source.SSESpecification;
  if (sse) request.SSESpecification = sse;
  if (source.TableClass) request.TableClass = source.TableClass;
  return checkCreateTable(request);
}

function indexInput(index: IndexSpec): Input {
  const out: Input = { IndexName: index.IndexName, KeySchema: keySchemaOut(index.keySchema), Projection: index.Projection };
  if (index.ProvisionedThroughput) out.ProvisionedThroughput = index.ProvisionedThroughput;
  if (index.OnDemandThroughput) out.OnDemandThroughput = index.OnDemandThroughput;
  return out;
}

function keySchemaOf(index: unknown): unknown[] {
  const schema = (optionalStructure(index) ?? {}).KeySchema;
  return Array.isArray(schema) ? schema : [];
}

/** The source's attribute definitions that some key of the new table or its indexes uses. */
function usedDefinitions(source: TableSpec, schemas: unknown[][]): TableSpec['AttributeDefinitions'] {
  const used = new Set<string>();
  for (const schema of schemas) {
    for (const element of schema) {
      const name = (optionalStructure(element) ?? {}).AttributeName;
      if (typeof name === 'string') used.add(name);
    }
  }
  return source.AttributeDefinitions.filter((definition) => used.has(definition.AttributeName));
}
