// CreateTable / UpdateTable pass 1: the request's members read into typed shapes, every
// member-constraint failure collected into one "N validation errors detected" message.
import type { ScalarType } from '../../model/attribute-value.js';
import { capacityUnitsMin, globalIndexKeySchemaElementsMax, keyAttributeNameBytesMax, keyAttributeNameLengthMin, keySchemaElementsMax, nonKeyAttributesPerIndexMax } from '../../model/limits.js';
import type { KeySchema, OnDemandThroughput, Projection, ProvisionedThroughput, TableSpec } from '../../engine/table-spec.js';
import { ConstraintErrors, collectIndexNameErrors, optionalBoolean, optionalList, optionalLong, optionalString, optionalStructure } from './common.js';

// Enum sets in the order DynamoDB prints them (not always the botocore order).
const attributeTypes = ['B', 'N', 'S'] as const;
const keyTypes = ['HASH', 'RANGE'] as const;
export const billingModes = ['PROVISIONED', 'PAY_PER_REQUEST'] as const;
const projectionTypes = ['ALL', 'INCLUDE', 'KEYS_ONLY'] as const;
const streamViewTypes = ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] as const;
// unverified: DynamoDB's print order of the SSEType set (botocore order used).
const sseTypes = ['AES256', 'KMS'] as const;
export const tableClasses = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;

export type BillingMode = TableSpec['BillingMode'];

// ---- Parsed request shapes (types checked, rules not yet) --------------------------------

export interface KeyElementInput {
  AttributeName: string;
  KeyType: string;
}

export interface AttributeDefinitionInput {
  AttributeName: string;
  AttributeType: ScalarType;
}

export interface ProjectionInput {
  ProjectionType?: string;
  NonKeyAttributes?: string[];
}

export interface IndexInput {
  IndexName: string;
  KeySchema: KeyElementInput[];
  Projection: ProjectionInput;
  ProvisionedThroughput?: ProvisionedThroughput;
  OnDemandThroughput?: OnDemandThroughput;
  /** True when the request carried the member, even as {} (OnDemandThroughput {} is accepted and ignored). */
  hasThroughput: boolean;
}

export interface StreamInput {
  StreamEnabled: boolean;
  StreamViewType?: string;
}

export interface SseInput {
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

export function collectAttributeDefinitions(errors: ConstraintErrors, value: unknown, required: boolean): AttributeDefinitionInput[] | undefined {
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

export function collectKeySchema(errors: ConstraintErrors, value: unknown, path: string, elementsMax = keySchemaElementsMax): KeyElementInput[] | undefined {
  const list = optionalList(value);
  if (!errors.notNull(path, list) || list === undefined) return undefined;
  errors.length(path, list, 1, elementsMax, renderKeySchema(list));
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

export function collectThroughput(errors: ConstraintErrors, value: unknown, path: string): ProvisionedThroughput | undefined {
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

export function collectOnDemand(value: unknown): OnDemandThroughput | undefined {
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

export function collectIndex(errors: ConstraintErrors, value: unknown, path: string, global: boolean): IndexInput {
  const index = optionalStructure(value) ?? {};
  // DynamoDB lists indexName, keySchema, projection in this order for index shapes.
  const name = collectIndexNameErrors(errors, index['IndexName'], `${path}.indexName`);
  // A GSI may have a multi-attribute key (up to 4 HASH + 4 RANGE); tables and LSIs stay at 2.
  const elementsMax = global ? globalIndexKeySchemaElementsMax : keySchemaElementsMax;
  const keySchema = collectKeySchema(errors, index['KeySchema'], `${path}.keySchema`, elementsMax);
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

export function collectStream(errors: ConstraintErrors, value: unknown): StreamInput | undefined {
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

export function collectSse(errors: ConstraintErrors, value: unknown): SseInput | undefined {
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

export function collectIndexList(errors: ConstraintErrors, value: unknown, path: string, global: boolean): IndexInput[] | undefined {
  const list = optionalList(value);
  return list?.map((entry, i) => collectIndex(errors, entry, `${path}.${i + 1}.member`, global));
}
