// CreateTable and UpdateTable validation, in DynamoDB's order of checks and with its texts.
// Pass 1 (shape) lists every member-constraint failure in one message; pass 2 (rules)
// stops at the first broken rule. Both functions are pure: the current TableSpec comes in,
// the new one goes out; the engine does the I/O, the backfill and the status changes.
import type { ScalarType } from '../../model/attribute-value.js';
import { DynamoError, validationError } from '../../model/errors.js';
import {
  capacityUnitsMax,
  capacityUnitsMin,
  globalIndexesPerTableMax,
  keyAttributeNameBytesMax,
  keyAttributeNameLengthMin,
  keySchemaElementsMax,
  localIndexesPerTableMax,
  nonKeyAttributesPerIndexMax,
  onlineIndexChangesMax,
  projectedAttributesMax,
  tagsPerResourceMax,
} from '../../model/limits.js';
import type {
  IndexSpec,
  KeyElement,
  KeySchema,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  TableSpec,
} from '../../engine/table-spec.js';
import {
  ConstraintErrors,
  collectIndexNameErrors,
  collectTableNameErrors,
  invalidParameter,
  optionalBoolean,
  optionalList,
  optionalLong,
  optionalString,
  optionalStructure,
} from './common.js';
import { checkTags, tooManyTags } from './tags.js';

// Enum sets in the order DynamoDB prints them (not always the botocore order).
const attributeTypes = ['B', 'N', 'S'] as const;
const keyTypes = ['HASH', 'RANGE'] as const;
const billingModes = ['PROVISIONED', 'PAY_PER_REQUEST'] as const;
const projectionTypes = ['ALL', 'INCLUDE', 'KEYS_ONLY'] as const;
const streamViewTypes = ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] as const;
// unverified: DynamoDB's print order of the SSEType set (botocore order used).
const sseTypes = ['AES256', 'KMS'] as const;
const tableClasses = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;

type BillingMode = TableSpec['BillingMode'];

// ---- Parsed request shapes (types checked, rules not yet) --------------------------------

interface KeyElementInput {
  AttributeName: string;
  KeyType: string;
}

interface AttributeDefinitionInput {
  AttributeName: string;
  AttributeType: ScalarType;
}

interface ProjectionInput {
  ProjectionType?: string;
  NonKeyAttributes?: string[];
}

interface IndexInput {
  IndexName: string;
  KeySchema: KeyElementInput[];
  Projection: ProjectionInput;
  ProvisionedThroughput?: ProvisionedThroughput;
  OnDemandThroughput?: OnDemandThroughput;
  /** True when the request carried the member, even as {} (OnDemandThroughput {} is accepted and ignored). */
  hasThroughput: boolean;
}

interface StreamInput {
  StreamEnabled: boolean;
  StreamViewType?: string;
}

interface SseInput {
  Enabled?: boolean;
  SSEType?: string;
  KMSMasterKeyId?: string;
}

// ---- Pass 1: shape constraints --------------------------------------------------------------

/** Java's toString of a KeySchemaElement list, as DynamoDB echoes an over-long KeySchema. */
// unverified: DynamoDB has printed both this form and the object-hash form
// ("com.amazonaws.dynamodb.v20120810.KeySchemaElement@ad28eb1d"); only this one is reproducible.
function renderKeySchema(list: readonly unknown[]): string {
  const items = list.map((item) => {
    const element = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    return `KeySchemaElement(attributeName=${String(element['AttributeName'] ?? 'null')}, keyType=${String(element['KeyType'] ?? 'null')})`;
  });
  return `'[${items.join(', ')}]'`;
}

function collectAttributeDefinitions(errors: ConstraintErrors, value: unknown, required: boolean): AttributeDefinitionInput[] | undefined {
  const list = optionalList(value);
  if (list === undefined) {
    if (required) errors.notNull('attributeDefinitions', undefined);
    return undefined;
  }
  return list.map((entry, i) => {
    const path = `attributeDefinitions.${i + 1}.member`;
    const definition = optionalStructure(entry) ?? {};
    const name = optionalString(definition['AttributeName']);
    const type = optionalString(definition['AttributeType']);
    // DynamoDB lists attributeType before attributeName for this shape.
    if (errors.notNull(`${path}.attributeType`, type)) errors.enumOf(`${path}.attributeType`, type, attributeTypes);
    if (errors.notNull(`${path}.attributeName`, name) && name !== undefined) {
      errors.length(`${path}.attributeName`, name, keyAttributeNameLengthMin, keyAttributeNameBytesMax);
    }
    return { AttributeName: name ?? '', AttributeType: (type ?? 'S') as ScalarType };
  });
}

function collectKeySchema(errors: ConstraintErrors, value: unknown, path: string): KeyElementInput[] | undefined {
  const list = optionalList(value);
  if (!errors.notNull(path, list) || list === undefined) return undefined;
  errors.length(path, list, 1, keySchemaElementsMax, renderKeySchema(list));
  return list.map((entry, i) => {
    const elementPath = `${path}.${i + 1}.member`;
    const element = optionalStructure(entry) ?? {};
    const name = optionalString(element['AttributeName']);
    const type = optionalString(element['KeyType']);
    if (errors.notNull(`${elementPath}.attributeName`, name) && name !== undefined) {
      errors.length(`${elementPath}.attributeName`, name, keyAttributeNameLengthMin, keyAttributeNameBytesMax);
    }
    if (errors.notNull(`${elementPath}.keyType`, type)) errors.enumOf(`${elementPath}.keyType`, type, keyTypes);
    return { AttributeName: name ?? '', KeyType: type ?? '' };
  });
}

function collectThroughput(errors: ConstraintErrors, value: unknown, path: string): ProvisionedThroughput | undefined {
  const throughput = optionalStructure(value);
  if (throughput === undefined) return undefined;
  const write = optionalLong(throughput['WriteCapacityUnits']);
  const read = optionalLong(throughput['ReadCapacityUnits']);
  // DynamoDB lists writeCapacityUnits before readCapacityUnits.
  if (errors.notNull(`${path}.writeCapacityUnits`, write) && write !== undefined) {
    errors.minValue(`${path}.writeCapacityUnits`, write, capacityUnitsMin);
  }
  if (errors.notNull(`${path}.readCapacityUnits`, read) && read !== undefined) {
    errors.minValue(`${path}.readCapacityUnits`, read, capacityUnitsMin);
  }
  return { ReadCapacityUnits: read ?? 0, WriteCapacityUnits: write ?? 0 };
}

function collectOnDemand(value: unknown): OnDemandThroughput | undefined {
  const onDemand = optionalStructure(value);
  if (onDemand === undefined) return undefined;
  const result: OnDemandThroughput = {};
  const read = optionalLong(onDemand['MaxReadRequestUnits']);
  const write = optionalLong(onDemand['MaxWriteRequestUnits']);
  if (read !== undefined) result.MaxReadRequestUnits = read;
  if (write !== undefined) result.MaxWriteRequestUnits = write;
  return result;
}

function collectProjection(errors: ConstraintErrors, value: unknown, path: string): ProjectionInput | undefined {
  const projection = optionalStructure(value);
  if (!errors.notNull(path, projection) || projection === undefined) return undefined;
  const type = optionalString(projection['ProjectionType']);
  const nonKey = optionalList(projection['NonKeyAttributes']);
  if (type !== undefined) errors.enumOf(`${path}.projectionType`, type, projectionTypes);
  const result: ProjectionInput = {};
  if (type !== undefined) result.ProjectionType = type;
  if (nonKey !== undefined) {
    errors.length(`${path}.nonKeyAttributes`, nonKey, 1, nonKeyAttributesPerIndexMax);
    result.NonKeyAttributes = nonKey.map((name) => optionalString(name) ?? '');
  }
  return result;
}

function collectIndex(errors: ConstraintErrors, value: unknown, path: string, global: boolean): IndexInput {
  const index = optionalStructure(value) ?? {};
  // DynamoDB lists indexName, keySchema, projection in this order for index shapes.
  const name = collectIndexNameErrors(errors, index['IndexName'], `${path}.indexName`);
  const keySchema = collectKeySchema(errors, index['KeySchema'], `${path}.keySchema`);
  const projection = collectProjection(errors, index['Projection'], `${path}.projection`);
  const result: IndexInput = {
    IndexName: name ?? '',
    KeySchema: keySchema ?? [],
    Projection: projection ?? {},
    hasThroughput: index['ProvisionedThroughput'] !== undefined && index['ProvisionedThroughput'] !== null,
  };
  if (global) {
    const throughput = collectThroughput(errors, index['ProvisionedThroughput'], `${path}.provisionedThroughput`);
    if (throughput !== undefined) result.ProvisionedThroughput = throughput;
    const onDemand = collectOnDemand(index['OnDemandThroughput']);
    if (onDemand !== undefined) result.OnDemandThroughput = onDemand;
  }
  return result;
}

function collectStream(errors: ConstraintErrors, value: unknown): StreamInput | undefined {
  const stream = optionalStructure(value);
  if (stream === undefined) return undefined;
  const enabled = optionalBoolean(stream['StreamEnabled']);
  const viewType = optionalString(stream['StreamViewType']);
  errors.notNull('streamSpecification.streamEnabled', enabled);
  if (viewType !== undefined) errors.enumOf('streamSpecification.streamViewType', viewType, streamViewTypes);
  const result: StreamInput = { StreamEnabled: enabled ?? false };
  if (viewType !== undefined) result.StreamViewType = viewType;
  return result;
}

function collectSse(errors: ConstraintErrors, value: unknown): SseInput | undefined {
  const sse = optionalStructure(value);
  if (sse === undefined) return undefined;
  const result: SseInput = {};
  const enabled = optionalBoolean(sse['Enabled']);
  const type = optionalString(sse['SSEType']);
  const key = optionalString(sse['KMSMasterKeyId']);
  if (type !== undefined) errors.enumOf('sSESpecification.sSEType', type, sseTypes);
  if (key !== undefined) errors.length('sSESpecification.kMSMasterKeyId', key, 1);
  if (enabled !== undefined) result.Enabled = enabled;
  if (type !== undefined) result.SSEType = type;
  if (key !== undefined) result.KMSMasterKeyId = key;
  return result;
}

function collectIndexList(errors: ConstraintErrors, value: unknown, path: string, global: boolean): IndexInput[] | undefined {
  const list = optionalList(value);
  return list?.map((entry, i) => collectIndex(errors, entry, `${path}.${i + 1}.member`, global));
}

// ---- Pass 2: rules shared by CreateTable and UpdateTable ------------------------------------

/** Key element order and names, checked the way DynamoDB does: same name, HASH first, RANGE second. */
function checkKeyOrder(keys: readonly KeyElementInput[]): void {
  const [first, second] = keys;
  if (first !== undefined && second !== undefined && first.AttributeName === second.AttributeName) {
    throw validationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (first !== undefined && first.KeyType !== 'HASH') {
    throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  if (second !== undefined && second.KeyType !== 'RANGE') {
    throw validationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
}

/**
 * "Some index key attributes are not defined in AttributeDefinitions. Keys: [..],
 * AttributeDefinitions: [..]". DynamoDB prints both lists in reverse request order
 * (recorded: keys [c, d] print as [d, c]; definitions [a, b] as [b, a]).
 */
function keysNotDefined(keys: readonly string[], definitions: readonly string[]): DynamoError {
  const reversedKeys = [...keys].reverse().join(', ');
  const reversedDefinitions = [...definitions].reverse().join(', ');
  return invalidParameter(
    `Some index key attributes are not defined in AttributeDefinitions. Keys: [${reversedKeys}], AttributeDefinitions: [${reversedDefinitions}]`,
  );
}

/** Projection rules: a type is required, NonKeyAttributes only and always with INCLUDE, no duplicates. */
function checkProjection(projection: ProjectionInput): Projection {
  const type = projection.ProjectionType;
  if (type === undefined) throw invalidParameter('Unknown ProjectionType: null');
  const nonKey = projection.NonKeyAttributes;
  if (type !== 'INCLUDE' && nonKey !== undefined) {
    throw invalidParameter(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  }
  if (type === 'INCLUDE' && nonKey === undefined) {
    throw invalidParameter('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  }
  if (nonKey === undefined) return { ProjectionType: type as Projection['ProjectionType'] };
  const seen = new Set<string>();
  for (const name of nonKey) {
    if (seen.has(name)) throw invalidParameter(`Duplicate element in NonKeyAttributes: ${name}`);
    seen.add(name);
  }
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...nonKey] };
}

function toKeySchema(keys: readonly KeyElementInput[], types: ReadonlyMap<string, ScalarType>): KeySchema {
  const element = (key: KeyElementInput): KeyElement => ({ name: key.AttributeName, type: types.get(key.AttributeName) ?? 'S' });
  const [partition, sort] = keys;
  const schema: KeySchema = { partitionKey: element(partition as KeyElementInput) };
  if (sort !== undefined) schema.sortKey = element(sort);
  return schema;
}

function checkCapacityBounds(throughput: ProvisionedThroughput): void {
  // Recorded against DynamoDB by dynalite: values past 10^12 are "out of bounds".
  // The account's per-table maximum (40,000 by default) is capacity/'s LimitExceededException.
  if (throughput.ReadCapacityUnits > capacityUnitsMax) {
    throw validationError(`Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
  }
  if (throughput.WriteCapacityUnits > capacityUnitsMax) {
    throw validationError(`Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
}

/** The first OnDemandThroughput member present, in DynamoDB's order (read before write). */
function firstOnDemandMember(onDemand: OnDemandThroughput): 'MaxReadRequestUnits' | 'MaxWriteRequestUnits' | undefined {
  if (onDemand.MaxReadRequestUnits !== undefined) return 'MaxReadRequestUnits';
  if (onDemand.MaxWriteRequestUnits !== undefined) return 'MaxWriteRequestUnits';
  return undefined;
}

/** Range check: >= 1 at CreateTable; UpdateTable also accepts -1, which removes the cap. */
function checkOnDemandRange(onDemand: OnDemandThroughput, subject: string, allowRemove: boolean): void {
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    const units = onDemand[member];
    if (units === undefined || units >= 1 || (allowRemove && units === -1)) continue;
    throw invalidParameter(`Requested ${member} for OnDemandThroughput for ${subject} is outside of valid range`);
  }
}

function checkSse(sse: SseInput): TableSpec['SSESpecification'] | undefined {
  if (sse.Enabled === false && sse.SSEType !== undefined) throw invalidParameter('SSEType can not be specified if Enabled is false');
  if (sse.Enabled === false && sse.KMSMasterKeyId !== undefined) {
    throw invalidParameter('KMSMasterKeyId can not be specified if Enabled is false');
  }
  if (sse.KMSMasterKeyId !== undefined && sse.SSEType !== 'KMS') {
    throw invalidParameter('SSEType KMS is required if KMSMasterKeyId is specified');
  }
  // unverified: whether this text carries the "One or more parameter values" prefix.
  if (sse.SSEType === 'AES256') throw invalidParameter('SSEType AES256 is not supported');
  const enabled = sse.Enabled === true || (sse.Enabled === undefined && sse.SSEType === 'KMS');
  if (!enabled) return undefined; // AWS owned key: the default, reported as no SSEDescription
  const spec: NonNullable<TableSpec['SSESpecification']> = { Enabled: true, SSEType: 'KMS' };
  if (sse.KMSMasterKeyId !== undefined) spec.KMSMasterKeyId = sse.KMSMasterKeyId;
  return spec;
}

function checkTableClass(value: unknown): TableSpec['TableClass'] | undefined {
  const tableClass = optionalString(value);
  if (tableClass === undefined) return undefined;
  if (!(tableClasses as readonly string[]).includes(tableClass)) {
    throw validationError(
      'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].',
    );
  }
  return tableClass as TableSpec['TableClass'];
}

/**
 * "Some AttributeDefinitions are not used" (with indexes) or the older "Number of
 * attributes ..." text (table key only).
 */
function checkNoUnusedDefinitions(definitions: readonly AttributeDefinitionInput[], used: readonly string[], hasIndexes: boolean): void {
  const usedSet = new Set(used);
  if (definitions.every((definition) => usedSet.has(definition.AttributeName))) return;
  if (!hasIndexes) {
    throw invalidParameter(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  // unverified: the order of both lists (recorded once: "AttributeDefinitions: [sk, a, b, pk, c],
  // keys used: [a, sk, pk]"); definitions print reversed and keys reversed, as in keysNotDefined.
  const definitionNames = definitions.map((definition) => definition.AttributeName).reverse();
  const keysUsed = [...usedSet].reverse();
  throw invalidParameter(
    `Some AttributeDefinitions are not used. AttributeDefinitions: [${definitionNames.join(', ')}], keys used: [${keysUsed.join(', ')}]`,
  );
}

function projectedAttributeCount(indexes: readonly { Projection: Projection }[]): number {
  return indexes.reduce((sum, index) => sum + (index.Projection.NonKeyAttributes?.length ?? 0), 0);
}

function checkProjectedAttributeTotal(indexes: readonly { Projection: Projection }[]): void {
  const total = projectedAttributeCount(indexes);
  // unverified: the ", provided: N" tail; "Number of projected attributes in all indexes
  // exceeds limit of 100" is the text tools quote from DynamoDB.
  if (total > projectedAttributesMax) {
    throw invalidParameter(`Number of projected attributes in all indexes exceeds limit of ${projectedAttributesMax}, provided: ${total}`);
  }
}

// ---- CreateTable ----------------------------------------------------------------------------

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
  const gsis = collectIndexList(errors, input['GlobalSecondaryIndexes'], 'globalSecondaryIndexes', true);
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

function checkDuplicateDefinitions(definitions: readonly AttributeDefinitionInput[]): void {
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

function checkGlobalIndexThroughput(index: IndexInput, billingMode: BillingMode, indexName: string): void {
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

function definitionTypes(definitions: readonly { AttributeName: string; AttributeType: ScalarType }[]): Map<string, ScalarType> {
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
    checkKeyOrder(index.KeySchema);
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

function globalIndexSpec(
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

// ---- UpdateTable ----------------------------------------------------------------------------

interface GlobalIndexUpdateInput {
  Update?: { IndexName: string; ProvisionedThroughput?: ProvisionedThroughput; OnDemandThroughput?: OnDemandThroughput; hasWarm: boolean };
  Create?: IndexInput;
  Delete?: { IndexName: string };
}

interface UpdateTableShape {
  definitions?: AttributeDefinitionInput[];
  billingMode?: BillingMode;
  throughput?: ProvisionedThroughput;
  indexUpdates?: GlobalIndexUpdateInput[];
  stream?: StreamInput;
  sse?: SseInput;
  onDemand?: OnDemandThroughput;
  deletionProtection?: boolean;
  tableClass?: TableSpec['TableClass'];
  warmGiven: boolean;
  replicasGiven: boolean;
  multiRegionGiven: boolean;
}

function isEmptyStructure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function collectIndexUpdate(errors: ConstraintErrors, value: unknown, path: string): GlobalIndexUpdateInput {
  const entry = optionalStructure(value) ?? {};
  const result: GlobalIndexUpdateInput = {};
  const update = optionalStructure(entry['Update']);
  if (update !== undefined) {
    const name = collectIndexNameErrors(errors, update['IndexName'], `${path}.update.indexName`);
    const throughput = collectThroughput(errors, update['ProvisionedThroughput'], `${path}.update.provisionedThroughput`);
    const onDemand = collectOnDemand(update['OnDemandThroughput']);
    const warm = update['WarmThroughput'];
    result.Update = { IndexName: name ?? '', hasWarm: warm !== undefined && warm !== null };
    if (throughput !== undefined) result.Update.ProvisionedThroughput = throughput;
    if (onDemand !== undefined) result.Update.OnDemandThroughput = onDemand;
  }
  const create = optionalStructure(entry['Create']);
  if (create !== undefined) result.Create = collectIndex(errors, create, `${path}.create`, true);
  const remove = optionalStructure(entry['Delete']);
  if (remove !== undefined) {
    result.Delete = { IndexName: collectIndexNameErrors(errors, remove['IndexName'], `${path}.delete.indexName`) ?? '' };
  }
  return result;
}

function collectUpdateTable(input: Record<string, unknown>): UpdateTableShape {
  const errors = new ConstraintErrors();
  const definitions = collectAttributeDefinitions(errors, input['AttributeDefinitions'], false);
  collectTableNameErrors(errors, input['TableName']);
  const billingMode = optionalString(input['BillingMode']);
  if (billingMode !== undefined) errors.enumOf('billingMode', billingMode, billingModes);
  const throughput = collectThroughput(errors, input['ProvisionedThroughput'], 'provisionedThroughput');
  const updates = optionalList(input['GlobalSecondaryIndexUpdates'])?.map((entry, i) =>
    collectIndexUpdate(errors, entry, `globalSecondaryIndexUpdates.${i + 1}.member`),
  );
  const stream = collectStream(errors, input['StreamSpecification']);
  const sse = collectSse(errors, input['SSESpecification']);
  const onDemand = collectOnDemand(input['OnDemandThroughput']);
  const deletionProtection = optionalBoolean(input['DeletionProtectionEnabled']);
  errors.throwIfAny();
  const tableClass = checkTableClass(input['TableClass']);
  const present = (name: string) => input[name] !== undefined && input[name] !== null;
  const shape: UpdateTableShape = {
    // An empty WarmThroughput {} sent with another member is dropped by DynamoDB.
    warmGiven: present('WarmThroughput') && !isEmptyStructure(input['WarmThroughput']),
    replicasGiven: present('ReplicaUpdates'),
    multiRegionGiven: present('MultiRegionConsistency'),
  };
  if (definitions !== undefined) shape.definitions = definitions;
  if (billingMode !== undefined) shape.billingMode = billingMode as BillingMode;
  if (throughput !== undefined) shape.throughput = throughput;
  if (updates !== undefined) shape.indexUpdates = updates;
  if (stream !== undefined) shape.stream = stream;
  if (sse !== undefined) shape.sse = sse;
  if (onDemand !== undefined && firstOnDemandMember(onDemand) !== undefined) shape.onDemand = onDemand;
  if (deletionProtection !== undefined) shape.deletionProtection = deletionProtection;
  if (tableClass !== undefined) shape.tableClass = tableClass;
  return shape;
}

/** The members whose presence makes an UpdateTable request do something. */
function requestedChanges(shape: UpdateTableShape): string[] {
  const changes: string[] = [];
  if (shape.throughput !== undefined) changes.push('ProvisionedThroughput');
  if (shape.billingMode !== undefined) changes.push('BillingMode');
  if (shape.stream !== undefined) changes.push('StreamSpecification');
  if (shape.indexUpdates !== undefined && shape.indexUpdates.length > 0) changes.push('GlobalSecondaryIndexUpdates');
  if (shape.sse !== undefined) changes.push('SSESpecification');
  if (shape.replicasGiven) changes.push('ReplicaUpdates');
  if (shape.multiRegionGiven) changes.push('MultiRegionConsistency');
  if (shape.deletionProtection !== undefined) changes.push('DeletionProtectionEnabled');
  if (shape.onDemand !== undefined) changes.push('OnDemandThroughput');
  if (shape.warmGiven) changes.push('WarmThroughput');
  if (shape.tableClass !== undefined) changes.push('TableClass');
  return changes;
}

/**
 * DynamoDB's "nothing to update" text. It names members absent from the public model
 * (UpdateStreamEnabled, MultiAccountReplicaReady, ReplicaTransitRoleArn) and omits
 * MultiRegionConsistency when the request carried it.
 */
function nothingToUpdate(multiRegionGiven: boolean): DynamoError {
  const members = [
    'ProvisionedThroughput', 'BillingMode', 'UpdateStreamEnabled', 'GlobalSecondaryIndexUpdates', 'SSESpecification',
    'ReplicaUpdates', 'MultiAccountReplicaReady', 'ReplicaTransitRoleArn', 'MultiRegionConsistency',
    'DeletionProtectionEnabled', 'OnDemandThroughput', 'WarmThroughput',
  ].filter((member) => !(multiRegionGiven && member === 'MultiRegionConsistency'));
  return validationError(`At least one of ${members.join(', ')} or TableClass is required`);
}

/** UpdateTable changes one concern per call; only BillingMode-centred combinations pass. */
function checkSingleConcern(shape: UpdateTableShape, changes: readonly string[]): void {
  const alone = (member: string) => changes.length > 1 && changes.includes(member);
  if (alone('SSESpecification')) throw invalidParameter('Server-Side Encryption modification must be the only operation in the request');
  if (alone('TableClass')) throw invalidParameter('TableClass modification must be the only operation in the request');
  if (alone('DeletionProtectionEnabled')) {
    throw invalidParameter('DeletionProtection modification must be the only operation in the request');
  }
  if (changes.includes('OnDemandThroughput') && changes.some((c) => c !== 'OnDemandThroughput' && c !== 'BillingMode')) {
    throw invalidParameter('OnDemandThroughput can only be combined with BillingMode in an UpdateTable request');
  }
  const indexBuild = (shape.indexUpdates ?? []).some((entry) => entry.Create !== undefined || entry.Delete !== undefined);
  if (shape.stream !== undefined && shape.throughput !== undefined) {
    throw invalidParameter('You cannot modify stream status while updating table IOPS');
  }
  if (indexBuild && shape.throughput !== undefined) throw invalidParameter('You cannot create or delete index while updating table IOPS');
  if (indexBuild && shape.stream !== undefined) throw invalidParameter('You cannot create or delete index while changing stream status');
}

function checkIndexUpdateEntries(updates: readonly GlobalIndexUpdateInput[]): void {
  const seen = new Set<string>();
  for (const entry of updates) {
    const actions = [entry.Update, entry.Create, entry.Delete].filter((action) => action !== undefined);
    if (actions.length === 0) {
      throw invalidParameter(
        'One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
      );
    }
    if (actions.length > 1) throw invalidParameter('Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object');
    const name = (actions[0] as { IndexName: string }).IndexName;
    if (seen.has(name)) {
      throw invalidParameter(`Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    }
    seen.add(name);
  }
}

/**
 * DynamoDB's text for a throughput change that changes nothing. `subject` is 'table' or
 * an index name; the index variant reads "provisioned for index <name>" (no "the").
 */
// unverified: the index variant after "Current WriteCapacityUnits" (recorded text is cut
// there); it is assumed to continue as the table variant does.
function throughputWillNotChange(subject: { index?: string }, current: ProvisionedThroughput, requested: ProvisionedThroughput): DynamoError {
  const noun = subject.index === undefined ? 'the table' : `the index ${subject.index}`;
  const owner = subject.index === undefined ? 'the table' : `index ${subject.index}`;
  return validationError(
    `The provisioned throughput for ${noun} will not change. The requested value equals the current value. ` +
      `Current ReadCapacityUnits provisioned for ${owner}: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${requested.ReadCapacityUnits}. ` +
      `Current WriteCapacityUnits provisioned for ${owner}: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${requested.WriteCapacityUnits}. ` +
      'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
  );
}

function sameThroughput(a: ProvisionedThroughput | undefined, b: ProvisionedThroughput): boolean {
  return a !== undefined && a.ReadCapacityUnits === b.ReadCapacityUnits && a.WriteCapacityUnits === b.WriteCapacityUnits;
}

/** Table-level billing, throughput and on-demand rules; returns the effective billing mode. */
function checkUpdateBilling(shape: UpdateTableShape, current: TableSpec): BillingMode {
  const mode = shape.billingMode ?? current.BillingMode;
  if (mode === 'PAY_PER_REQUEST' && shape.throughput !== undefined) {
    throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (shape.billingMode === 'PROVISIONED' && shape.throughput === undefined) {
    throw invalidParameter('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }
  if (shape.throughput !== undefined) checkCapacityBounds(shape.throughput);
  if (shape.onDemand !== undefined) {
    const member = firstOnDemandMember(shape.onDemand);
    if (mode === 'PROVISIONED' && member !== undefined) {
      throw invalidParameter(`${member} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`);
    }
    checkOnDemandRange(shape.onDemand, 'table', true);
  }
  if (shape.throughput !== undefined && current.BillingMode === 'PROVISIONED' && sameThroughput(current.ProvisionedThroughput, shape.throughput)) {
    throw throughputWillNotChange({}, current.ProvisionedThroughput as ProvisionedThroughput, shape.throughput);
  }
  return mode;
}

function indexNotFound(indexName: string, tableName: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: Index ${indexName} for table ${tableName}`);
}

function findGlobal(spec: TableSpec, name: string): IndexSpec | undefined {
  return spec.GlobalSecondaryIndexes.find((index) => index.IndexName === name);
}

function isLocal(spec: TableSpec, name: string): boolean {
  return spec.LocalSecondaryIndexes.some((index) => index.IndexName === name);
}

/** Applies one GSI Update action to `spec` (already a copy). */
function applyIndexUpdate(update: NonNullable<GlobalIndexUpdateInput['Update']>, spec: TableSpec, mode: BillingMode): void {
  const name = update.IndexName;
  if (isLocal(spec, name)) throw validationError(`Cannot update an index that is not a GlobalSecondaryIndex: ${name}`);
  const index = findGlobal(spec, name);
  if (index === undefined) throw indexNotFound(name, spec.TableName);
  if (mode === 'PAY_PER_REQUEST') {
    if (update.ProvisionedThroughput !== undefined) {
      throw invalidParameter(`Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`);
    }
    const onDemand = update.OnDemandThroughput;
    if ((onDemand === undefined || firstOnDemandMember(onDemand) === undefined) && !update.hasWarm) {
      throw invalidParameter(`The only Updates for index: ${name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`);
    }
    if (onDemand !== undefined) applyOnDemand(index, onDemand, `index : ${name}`);
    return;
  }
  const throughput = update.ProvisionedThroughput;
  if (throughput === undefined) {
    if (update.hasWarm) return;
    // unverified: the text for an Update without throughput on a PROVISIONED table.
    throw invalidParameter(`ProvisionedThroughput must be specified for index: ${name}`);
  }
  checkCapacityBounds(throughput);
  if (spec.BillingMode === 'PROVISIONED' && sameThroughput(index.ProvisionedThroughput, throughput)) {
    throw throughputWillNotChange({ index: name }, index.ProvisionedThroughput as ProvisionedThroughput, throughput);
  }
  index.ProvisionedThroughput = { ...throughput };
}

function applyOnDemand(target: { OnDemandThroughput?: OnDemandThroughput }, onDemand: OnDemandThroughput, subject: string): void {
  checkOnDemandRange(onDemand, subject, true);
  const merged: OnDemandThroughput = { ...target.OnDemandThroughput };
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    const units = onDemand[member];
    if (units === -1) delete merged[member]; // -1 removes the cap
    else if (units !== undefined) merged[member] = units;
  }
  if (firstOnDemandMember(merged) === undefined) delete target.OnDemandThroughput;
  else target.OnDemandThroughput = merged;
}

/** Checks one GSI Create action and adds the new index (CREATING, backfilling) to `spec`. */
function applyIndexCreate(create: IndexInput, shape: UpdateTableShape, spec: TableSpec, mode: BillingMode): void {
  const name = create.IndexName;
  if (findGlobal(spec, name) !== undefined || isLocal(spec, name)) {
    throw validationError('Attempting to create an index which already exists');
  }
  const requested = shape.definitions;
  if (requested === undefined) throw invalidParameter(`AttributeDefinitions is not specified for index: ${name}`);
  checkDuplicateDefinitions(requested);
  const keys = create.KeySchema.map((key) => key.AttributeName);
  const requestedNames = requested.map((definition) => definition.AttributeName);
  // Only the new key attributes need defining; existing definitions keep their types.
  const types = definitionTypes(spec.AttributeDefinitions);
  for (const definition of requested) if (!types.has(definition.AttributeName)) types.set(definition.AttributeName, definition.AttributeType);
  if (keys.some((key) => !requestedNames.includes(key) && !spec.AttributeDefinitions.some((d) => d.AttributeName === key))) {
    throw keysNotDefined(keys, requestedNames);
  }
  checkKeyOrder(create.KeySchema);
  const projection = checkProjection(create.Projection);
  checkGlobalIndexThroughput(create, mode, name);
  if (spec.GlobalSecondaryIndexes.length >= globalIndexesPerTableMax) {
    throw new DynamoError(
      'LimitExceededException',
      `Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of ${globalIndexesPerTableMax}`,
    );
  }
  const index = globalIndexSpec(create, projection, types, mode, 'CREATING');
  checkProjectedAttributeTotal([...spec.LocalSecondaryIndexes, ...spec.GlobalSecondaryIndexes, index]);
  spec.GlobalSecondaryIndexes.push(index);
  for (const key of keys) {
    if (!spec.AttributeDefinitions.some((definition) => definition.AttributeName === key)) {
      spec.AttributeDefinitions.push({ AttributeName: key, AttributeType: types.get(key) as ScalarType });
    }
  }
}

/** Checks one GSI Delete action and removes the index from `spec`. */
function applyIndexDelete(name: string, spec: TableSpec): void {
  if (isLocal(spec, name)) throw validationError(`Cannot delete an index that is not a GlobalSecondaryIndex: ${name}`);
  if (findGlobal(spec, name) === undefined) throw indexNotFound(name, spec.TableName);
  spec.GlobalSecondaryIndexes = spec.GlobalSecondaryIndexes.filter((index) => index.IndexName !== name);
}

/** Definitions no key of the table or of a remaining index uses are pruned, as DynamoDB does. */
function pruneDefinitions(spec: TableSpec): void {
  const keyNames = (schema: KeySchema) => [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
  const used = new Set([
    ...keyNames(spec.keySchema),
    ...spec.LocalSecondaryIndexes.flatMap((index) => keyNames(index.keySchema)),
    ...spec.GlobalSecondaryIndexes.flatMap((index) => keyNames(index.keySchema)),
  ]);
  spec.AttributeDefinitions = spec.AttributeDefinitions.filter((definition) => used.has(definition.AttributeName));
}

function checkIndexActions(shape: UpdateTableShape, spec: TableSpec, mode: BillingMode): { createIndexes: string[]; deleteIndexes: string[] } {
  const updates = shape.indexUpdates ?? [];
  const createIndexes = updates.flatMap((entry) => (entry.Create ? [entry.Create.IndexName] : []));
  const deleteIndexes = updates.flatMap((entry) => (entry.Delete ? [entry.Delete.IndexName] : []));
  const building = spec.GlobalSecondaryIndexes.some((index) => index.IndexStatus === 'CREATING' || index.IndexStatus === 'DELETING');
  const builds = createIndexes.length + deleteIndexes.length;
  if (builds > onlineIndexChangesMax || (builds > 0 && building)) {
    throw new DynamoError(
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
  }
  if (switchesToProvisioned(shape, spec)) {
    // Every GSI needs its own throughput when the table leaves on-demand.
    for (const index of spec.GlobalSecondaryIndexes) {
      if (deleteIndexes.includes(index.IndexName)) continue;
      const covered = updates.some((entry) => entry.Update?.IndexName === index.IndexName && entry.Update.ProvisionedThroughput !== undefined);
      if (!covered) throw invalidParameter(`ProvisionedThroughput must be specified for index: ${index.IndexName}`);
    }
  }
  for (const entry of updates) {
    if (entry.Update) applyIndexUpdate(entry.Update, spec, mode);
    else if (entry.Create) applyIndexCreate(entry.Create, shape, spec, mode);
    else if (entry.Delete) applyIndexDelete(entry.Delete.IndexName, spec);
  }
  return { createIndexes, deleteIndexes };
}

function switchesToProvisioned(shape: UpdateTableShape, spec: TableSpec): boolean {
  return shape.billingMode === 'PROVISIONED' && spec.BillingMode === 'PAY_PER_REQUEST';
}

function applyStream(stream: StreamInput, spec: TableSpec): void {
  if (stream.StreamEnabled && stream.StreamViewType === undefined) {
    throw invalidParameter('If stream is being enabled then UpdateViewType is required');
  }
  if (!stream.StreamEnabled && stream.StreamViewType !== undefined) {
    throw invalidParameter('If stream is being disabled, then UpdateViewType must not be specified');
  }
  const enabled = spec.StreamSpecification?.StreamEnabled === true;
  if (stream.StreamEnabled && enabled) throw validationError(`Table already has an enabled stream: TableName: ${spec.TableName}`);
  if (!stream.StreamEnabled && !enabled) throw validationError(`Table has no stream to disable: TableName: ${spec.TableName}`);
  if (stream.StreamEnabled) spec.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType as string };
  else delete spec.StreamSpecification;
}

function applySse(sse: SseInput, spec: TableSpec): void {
  const next = checkSse(sse);
  const currentKms = spec.SSESpecification?.Enabled === true;
  if (next === undefined) {
    if (!currentKms) throw invalidParameter('Table is already encrypted by default');
    delete spec.SSESpecification;
    return;
  }
  if (currentKms && next.KMSMasterKeyId !== undefined && next.KMSMasterKeyId === spec.SSESpecification?.KMSMasterKeyId) {
    throw invalidParameter('Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key');
  }
  spec.SSESpecification = next;
}

function switchBilling(spec: TableSpec, mode: BillingMode, throughput: ProvisionedThroughput | undefined): void {
  if (mode !== spec.BillingMode) {
    // A billing switch drops OnDemandThroughput from the table and its GSIs.
    delete spec.OnDemandThroughput;
    for (const index of spec.GlobalSecondaryIndexes) {
      delete index.OnDemandThroughput;
      if (mode === 'PAY_PER_REQUEST') delete index.ProvisionedThroughput;
    }
    if (mode === 'PAY_PER_REQUEST') delete spec.ProvisionedThroughput;
    spec.BillingMode = mode;
  }
  if (throughput !== undefined) spec.ProvisionedThroughput = { ...throughput };
}

function copySpec(spec: TableSpec): TableSpec {
  return structuredClone(spec);
}

/**
 * Validates an UpdateTable request against the table as it stands and returns the table
 * it asks for. New GSIs come out CREATING with Backfilling true (the engine backfills and
 * flips them to ACTIVE); deleted GSIs are gone from the returned spec and listed in
 * deleteIndexes. Throws DynamoError (ValidationException, ResourceNotFoundException for an
 * unknown index, LimitExceededException for index-build limits) with DynamoDB's texts.
 */
export function checkUpdateTable(input: any, current: TableSpec): { spec: TableSpec; createIndexes: string[]; deleteIndexes: string[] } {
  const request = optionalStructure(input) ?? {};
  const shape = collectUpdateTable(request);
  const changes = requestedChanges(shape);
  if (changes.length === 0) throw nothingToUpdate(shape.multiRegionGiven);
  if (shape.indexUpdates !== undefined && shape.indexUpdates.length === 0) {
    throw invalidParameter('List of GlobalSecondaryIndexUpdates is empty');
  }
  checkIndexUpdateEntries(shape.indexUpdates ?? []);
  checkSingleConcern(shape, changes);

  const spec = copySpec(current);
  const mode = checkUpdateBilling(shape, current);
  const { createIndexes, deleteIndexes } = checkIndexActions(shape, spec, mode);
  switchBilling(spec, mode, shape.throughput);
  if (shape.onDemand !== undefined) applyOnDemand(spec, shape.onDemand, 'table');
  if (shape.stream !== undefined) applyStream(shape.stream, spec);
  if (shape.sse !== undefined) applySse(shape.sse, spec);
  if (shape.tableClass !== undefined) spec.TableClass = shape.tableClass;
  if (shape.deletionProtection !== undefined) spec.DeletionProtectionEnabled = shape.deletionProtection;
  if (deleteIndexes.length > 0) pruneDefinitions(spec);
  return { spec, createIndexes, deleteIndexes };
}
