// CreateTable validation, in DynamoDB's order of checks and with its texts: shape first
// (table-shapes.ts), then the rules; a pure function from the request to a TableSpec.
import type { ScalarType } from '../../model/attribute-value.js';
import { DynamoError, validationError } from '../../model/errors.js';
import { globalIndexesPerTableMax, localIndexesPerTableMax, tagsPerResourceMax } from '../../model/limits.js';
import type { IndexSpec, KeySchema, OnDemandThroughput, Projection, ProvisionedThroughput, TableSpec } from '../../engine/table-spec.js';
import { ConstraintErrors, collectTableNameErrors, invalidParameter, optionalBoolean, optionalString, optionalStructure } from './common.js';
import { checkTags, tooManyTags } from './tags.js';
import { AttributeDefinitionInput, BillingMode, IndexInput, KeyElementInput, SseInput, StreamInput, billingModes, collectAttributeDefinitions, collectIndexList, collectKeySchema, collectOnDemand, collectSse, collectStream, collectThroughput } from './table-shapes.js';
import { checkCapacityBounds, checkGlobalKeyOrder, checkKeyOrder, checkNoUnusedDefinitions, collectNonKeyAttributeErrors, checkOnDemandRange, checkProjectedAttributeTotal, checkProjection, checkSse, checkTableClass, firstOnDemandMember, keysNotDefined, toKeySchema } from './table-rules.js';

interface CreateTableShape {
  tableName: string;
  definitions: AttributeDefinitionInput[];
  keySchema: KeyElementInput[];
  billingMode: BillingMode;
  billingModeGiven: boolean;
  throughput?: ProvisionedThroughput;
  onDemand?: OnDemandThroughput;
  lsis?: IndexInput[];
  gsis?: IndexInput[];
  stream?: StreamInput;
  sse?: SseInput;
}

function collectCreateTable(input: Record<string, unknown>): CreateTableShape {
  const errors = new ConstraintErrors();
  // Member order of DynamoDB's listing: attributeDefinitions, tableName, billingMode,
  // provisionedThroughput, keySchema, localSecondaryIndexes, globalSecondaryIndexes.
  const definitions = collectAttributeDefinitions(errors, input['AttributeDefinitions'], true);
  const tableName = collectTableNameErrors(errors, input['TableName']);
  const billingMode = optionalString(input['BillingMode']);
  if (billingMode !== undefined) errors.enumOf('billingMode', billingMode, billingModes);
  const throughput = collectThroughput(errors, input['ProvisionedThroughput'], 'provisionedThroughput');
  const keySchema = collectKeySchema(errors, input['KeySchema'], 'keySchema');
  const lsis = collectIndexList(errors, input['LocalSecondaryIndexes'], 'localSecondaryIndexes', false);
  lsis?.forEach((index, i) => collectNonKeyAttributeErrors(errors, index, `localSecondaryIndexes.${i + 1}.member`));
  const gsis = collectIndexList(errors, input['GlobalSecondaryIndexes'], 'globalSecondaryIndexes', true);
  gsis?.forEach((index, i) => collectNonKeyAttributeErrors(errors, index, `globalSecondaryIndexes.${i + 1}.member`));
  const stream = collectStream(errors, input['StreamSpecification']);
  const sse = collectSse(errors, input['SSESpecification']);
  const onDemand = collectOnDemand(input['OnDemandThroughput']);
  errors.throwIfAny();
  const shape: CreateTableShape = {
    tableName: tableName as string,
    definitions: definitions ?? [],
    keySchema: keySchema ?? [],
    billingMode: (billingMode ?? 'PROVISIONED') as BillingMode,
    billingModeGiven: billingMode !== undefined,
  };
  if (throughput !== undefined) shape.throughput = throughput;
  if (onDemand !== undefined) shape.onDemand = onDemand;
  if (lsis !== undefined) shape.lsis = lsis;
  if (gsis !== undefined) shape.gsis = gsis;
  if (stream !== undefined) shape.stream = stream;
  if (sse !== undefined) shape.sse = sse;
  return shape;
}

function checkCreateBilling(shape: CreateTableShape): void {
  if (shape.billingMode === 'PAY_PER_REQUEST' && shape.throughput !== undefined) {
    throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (shape.billingMode === 'PROVISIONED' && shape.throughput === undefined) {
    // Also when BillingMode is absent: it defaults to PROVISIONED.
    throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  if (shape.throughput !== undefined) checkCapacityBounds(shape.throughput);
}

export function checkDuplicateDefinitions(definitions: readonly AttributeDefinitionInput[]): void {
  const seen = new Set<string>();
  for (const definition of definitions) {
    if (seen.has(definition.AttributeName)) throw validationError(`Attribute Name is duplicated: ${definition.AttributeName}`);
    seen.add(definition.AttributeName);
  }
}

function checkTableKey(shape: CreateTableShape): void {
  const keys = shape.keySchema.map((key) => key.AttributeName);
  const defined = shape.definitions.map((definition) => definition.AttributeName);
  if (keys.length > defined.length) throw validationError('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((key) => !defined.includes(key))) throw keysNotDefined(keys, defined);
  checkKeyOrder(shape.keySchema);
}

function checkLocalIndex(index: IndexInput, tableHash: string, types: ReadonlyMap<string, ScalarType>): IndexSpec {
  checkKeyOrder(index.KeySchema);
  if (index.KeySchema.length !== 2) {
    throw invalidParameter(`Index KeySchema does not have a range key for index: ${index.IndexName}`);
  }
  const indexHash = index.KeySchema[0]?.AttributeName ?? '';
  if (indexHash !== tableHash) {
    throw invalidParameter(
      `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
    );
  }
  const projection = checkProjection(index.Projection);
  return { IndexName: index.IndexName, keySchema: toKeySchema(index.KeySchema, types), Projection: projection };
}

export function checkGlobalIndexThroughput(index: IndexInput, billingMode: BillingMode, indexName: string): void {
  if (billingMode === 'PAY_PER_REQUEST' && index.hasThroughput) {
    throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${indexName} when BillingMode is PAY_PER_REQUEST`);
  }
  if (billingMode === 'PROVISIONED' && !index.hasThroughput) {
    throw invalidParameter(`ProvisionedThroughput is not specified for index: ${indexName}`);
  }
  if (index.ProvisionedThroughput !== undefined) checkCapacityBounds(index.ProvisionedThroughput);
  const onDemand = index.OnDemandThroughput;
  if (onDemand === undefined) return;
  const member = firstOnDemandMember(onDemand);
  if (billingMode === 'PROVISIONED' && member !== undefined) {
    // unverified: exact spacing of the index variant ("for index: g-a cannot be specified ...").
    throw invalidParameter(`${member} for OnDemandThroughput for index: ${indexName} cannot be specified when table BillingMode is PROVISIONED.`);
  }
  checkOnDemandRange(onDemand, `index : ${indexName}`, false);
}

function checkIndexNamesUnique(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw invalidParameter(`Duplicate index name: ${name}`);
    seen.add(name);
  }
}

function checkCreateStream(stream: StreamInput | undefined): TableSpec['StreamSpecification'] | undefined {
  if (stream === undefined) return undefined;
  if (stream.StreamEnabled && stream.StreamViewType === undefined) {
    throw invalidParameter('Table is being created with a stream enabled, UpdateViewType is required');
  }
  if (!stream.StreamEnabled && stream.StreamViewType !== undefined) {
    throw invalidParameter('Table is being created with a stream disabled, UpdateViewType should not be specified');
  }
  return stream.StreamEnabled ? { StreamEnabled: true, StreamViewType: stream.StreamViewType as string } : undefined;
}

function checkCreateOnDemand(shape: CreateTableShape): OnDemandThroughput | undefined {
  const onDemand = shape.onDemand;
  if (onDemand === undefined) return undefined;
  const member = firstOnDemandMember(onDemand);
  if (member === undefined) return undefined; // {} is accepted and stores nothing
  if (shape.billingMode === 'PROVISIONED') {
    throw invalidParameter(`${member} for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.`);
  }
  checkOnDemandRange(onDemand, 'table', false);
  return { ...onDemand };
}

export function definitionTypes(definitions: readonly { AttributeName: string; AttributeType: ScalarType }[]): Map<string, ScalarType> {
  return new Map(definitions.map((definition) => [definition.AttributeName, definition.AttributeType]));
}

/** Index rules of CreateTable, from the empty-list checks to the count limits. */
function checkCreateIndexes(shape: CreateTableShape): { lsis: IndexSpec[]; gsis: IndexSpec[] } {
  const { lsis, gsis, keySchema, definitions } = shape;
  if (lsis !== undefined && lsis.length === 0) throw invalidParameter('List of LocalSecondaryIndexes is empty');
  if (lsis !== undefined && keySchema.length !== 2) {
    throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
  }
  if (gsis !== undefined && gsis.length === 0) throw invalidParameter('List of GlobalSecondaryIndexes is empty');
  const indexes = [...(lsis ?? []), ...(gsis ?? [])];
  const defined = definitions.map((definition) => definition.AttributeName);
  for (const index of indexes) {
    const keys = index.KeySchema.map((key) => key.AttributeName);
    if (keys.some((key) => !defined.includes(key))) throw keysNotDefined(keys, defined);
  }
  const used = [...keySchema, ...indexes.flatMap((index) => index.KeySchema)].map((key) => key.AttributeName);
  checkNoUnusedDefinitions(definitions, used, indexes.length > 0);

  const types = definitionTypes(definitions);
  const tableHash = keySchema[0]?.AttributeName ?? '';
  const localSpecs = (lsis ?? []).map((index) => checkLocalIndex(index, tableHash, types));
  checkIndexNamesUnique(localSpecs.map((index) => index.IndexName));
  if (localSpecs.length > localIndexesPerTableMax) {
    throw invalidParameter(`Number of LocalSecondaryIndexes exceeds per-table limit of ${localIndexesPerTableMax}`);
  }
  const globalSpecs = (gsis ?? []).map((index) => {
    checkGlobalKeyOrder(index.KeySchema);
    const projection = checkProjection(index.Projection);
    checkGlobalIndexThroughput(index, shape.billingMode, index.IndexName);
    return globalIndexSpec(index, projection, types, shape.billingMode, 'ACTIVE');
  });
  checkIndexNamesUnique([...localSpecs, ...globalSpecs].map((index) => index.IndexName));
  if (globalSpecs.length > globalIndexesPerTableMax) {
    throw invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${globalIndexesPerTableMax}`);
  }
  checkProjectedAttributeTotal([...localSpecs, ...globalSpecs]);
  return { lsis: localSpecs, gsis: globalSpecs };
}

export function globalIndexSpec(
  index: IndexInput,
  projection: Projection,
  types: ReadonlyMap<string, ScalarType>,
  billingMode: BillingMode,
  status: 'ACTIVE' | 'CREATING',
): IndexSpec {
  const spec: IndexSpec = {
    IndexName: index.IndexName,
    keySchema: toKeySchema(index.KeySchema, types),
    Projection: projection,
    IndexStatus: status,
  };
  if (billingMode === 'PROVISIONED' && index.ProvisionedThroughput !== undefined) {
    spec.ProvisionedThroughput = { ...index.ProvisionedThroughput };
  }
  const onDemand = index.OnDemandThroughput;
  if (billingMode === 'PAY_PER_REQUEST' && onDemand !== undefined && firstOnDemandMember(onDemand) !== undefined) {
    spec.OnDemandThroughput = { ...onDemand };
  }
  if (status === 'CREATING') spec.Backfilling = true;
  return spec;
}

/**
 * Validates a CreateTable request and returns the table it defines. GSIs come out ACTIVE
 * (a new table has nothing to backfill). Throws DynamoError with DynamoDB's texts.
 */
export function checkCreateTable(input: any): TableSpec {
  const request = optionalStructure(input) ?? {};
  const shape = collectCreateTable(request);
  const tableClass = checkTableClass(request['TableClass']);
  checkCreateBilling(shape);
  checkDuplicateDefinitions(shape.definitions);
  checkTableKey(shape);
  const { lsis, gsis } = checkCreateIndexes(shape);
  const onDemand = checkCreateOnDemand(shape);
  const stream = checkCreateStream(shape.stream);
  const sse = shape.sse === undefined ? undefined : checkSse(shape.sse);
  const tags = checkTags(request['Tags'], { requireNonEmpty: false });
  if (tags.length > tagsPerResourceMax) throw tooManyTags();
  const deletionProtection = optionalBoolean(request['DeletionProtectionEnabled']) ?? false;

  const types = definitionTypes(shape.definitions);
  const spec: TableSpec = {
    TableName: shape.tableName,
    keySchema: toKeySchema(shape.keySchema, types),
    AttributeDefinitions: shape.definitions.map((definition) => ({ ...definition })),
    BillingMode: shape.billingMode,
    GlobalSecondaryIndexes: gsis,
    LocalSecondaryIndexes: lsis,
    DeletionProtectionEnabled: deletionProtection,
    Tags: tags,
  };
  if (shape.throughput !== undefined) spec.ProvisionedThroughput = { ...shape.throughput };
  if (onDemand !== undefined) spec.OnDemandThroughput = onDemand;
  if (stream !== undefined) spec.StreamSpecification = stream;
  if (sse !== undefined) spec.SSESpecification = sse;
  if (tableClass !== undefined) spec.TableClass = tableClass;
  return spec;
}
