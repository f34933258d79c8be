// CreateTable / UpdateTable pass 2, the rules both share (key order, projections, capacity
// bounds, SSE, table class, attribute definitions); each stops at the first broken rule.
import type { ScalarType } from '../../model/attribute-value.js';
import { DynamoError, validationError } from '../../model/errors.js';
import { capacityUnitsMax, indexHashElementsMax, indexRangeElementsMax, nonKeyAttributeNameLengthMax, projectedAttributesMax } from '../../model/limits.js';
import type { KeyElement, KeySchema, OnDemandThroughput, Projection, ProvisionedThroughput, TableSpec } from '../../engine/table-spec.js';
import { ConstraintErrors, invalidParameter, optionalString, renderValue } from './common.js';
import { AttributeDefinitionInput, IndexInput, KeyElementInput, ProjectionInput, SseInput, tableClasses } from './table-shapes.js';

/**
 * Shape failure of a NonKeyAttributes list holding a name over 255 characters (shape
 * NonKeyAttributeName, 1..255), worded as DynamoDB words a constraint on list members.
 * `path` is the index's member path ("globalSecondaryIndexes.1.member").
 * unverified: the wording (the member-constraint form of other AWS list shapes); where it
 * falls among the index's other failures (added after them).
 */
export function collectNonKeyAttributeErrors(errors: ConstraintErrors, index: IndexInput, path: string): void {
  const names = index.Projection.NonKeyAttributes;
  if (names === undefined || !names.some((name) => name.length > nonKeyAttributeNameLengthMax)) return;
  errors.add(
    `${path}.projection.nonKeyAttributes`,
    names,
    `Member must satisfy constraint: [Member must have length less than or equal to ${nonKeyAttributeNameLengthMax}, Member must have length greater than or equal to 1]`,
    renderValue(names),
  );
}

/** Key element order and names, checked the way DynamoDB does: same name, HASH first, RANGE second. */
export function checkKeyOrder(keys: readonly KeyElementInput[]): void {
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
 * Key order of a GSI, which may have a multi-attribute key: HASH elements first (1 to 4), then
 * RANGE elements (0 to 4), no name twice. A two-element schema keeps the table rules' texts.
 * unverified: DynamoDB's exact texts for the multi-attribute cases.
 */
export function checkGlobalKeyOrder(keys: readonly KeyElementInput[]): void {
  const [first, second] = keys;
  if (keys.length === 2 && first!.AttributeName === second!.AttributeName) {
    throw validationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (keys[0]?.KeyType !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.AttributeName)) {
      throw validationError(`Invalid KeySchema: Two KeySchemaElements have the same name: ${key.AttributeName}`);
    }
    seen.add(key.AttributeName);
  }
  const firstRange = keys.findIndex((key) => key.KeyType === 'RANGE');
  if (firstRange !== -1 && keys.slice(firstRange).some((key) => key.KeyType !== 'RANGE')) {
    throw validationError('Invalid KeySchema: All HASH key elements must precede all RANGE key elements');
  }
  const hashCount = firstRange === -1 ? keys.length : firstRange;
  if (hashCount > indexHashElementsMax) {
    throw validationError(`Invalid KeySchema: The number of HASH key elements exceeds the limit of ${indexHashElementsMax}`);
  }
  if (keys.length - hashCount > indexRangeElementsMax) {
    throw validationError(`Invalid KeySchema: The number of RANGE key elements exceeds the limit of ${indexRangeElementsMax}`);
  }
}

/**
 * "Some index key attributes are not defined in AttributeDefinitions. Keys: [..],
 * AttributeDefinitions: [..]". DynamoDB prints both lists in reverse request order
 * (recorded: keys [c, d] print as [d, c]; definitions [a, b] as [b, a]).
 */
export function keysNotDefined(keys: readonly string[], definitions: readonly string[]): DynamoError {
  const reversedKeys = [...keys].reverse().join(', ');
  const reversedDefinitions = [...definitions].reverse().join(', ');
  return invalidParameter(
    `Some index key attributes are not defined in AttributeDefinitions. Keys: [${reversedKeys}], AttributeDefinitions: [${reversedDefinitions}]`,
  );
}

/** Projection rules: a type is required, NonKeyAttributes only and always with INCLUDE, no duplicates. */
export function checkProjection(projection: ProjectionInput): Projection {
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

export function toKeySchema(keys: readonly KeyElementInput[], types: ReadonlyMap<string, ScalarType>): KeySchema {
  const element = (key: KeyElementInput): KeyElement => ({ name: key.AttributeName, type: types.get(key.AttributeName) ?? 'S' });
  // Checked order: HASH elements first, then RANGE elements (checkKeyOrder / checkGlobalKeyOrder).
  const hashes = keys.filter((key) => key.KeyType !== 'RANGE').map(element);
  const ranges = keys.filter((key) => key.KeyType === 'RANGE').map(element);
  const schema: KeySchema = { partitionKey: hashes[0] ?? element(keys[0] as KeyElementInput) };
  if (ranges[0] !== undefined) schema.sortKey = ranges[0];
  if (hashes.length > 1) schema.partitionKeys = hashes;
  if (ranges.length > 1) schema.sortKeys = ranges;
  return schema;
}

export function checkCapacityBounds(throughput: ProvisionedThroughput): void {
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
export function firstOnDemandMember(onDemand: OnDemandThroughput): 'MaxReadRequestUnits' | 'MaxWriteRequestUnits' | undefined {
  if (onDemand.MaxReadRequestUnits !== undefined) return 'MaxReadRequestUnits';
  if (onDemand.MaxWriteRequestUnits !== undefined) return 'MaxWriteRequestUnits';
  return undefined;
}

/** Range check: >= 1 at CreateTable; UpdateTable also accepts -1, which removes the cap. */
export function checkOnDemandRange(onDemand: OnDemandThroughput, subject: string, allowRemove: boolean): void {
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    const units = onDemand[member];
    if (units === undefined || units >= 1 || (allowRemove && units === -1)) continue;
    throw invalidParameter(`Requested ${member} for OnDemandThroughput for ${subject} is outside of valid range`);
  }
}

export function checkSse(sse: SseInput): TableSpec['SSESpecification'] | undefined {
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

export function checkTableClass(value: unknown): TableSpec['TableClass'] | undefined {
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
export function checkNoUnusedDefinitions(definitions: readonly AttributeDefinitionInput[], used: readonly string[], hasIndexes: boolean): void {
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

export function checkProjectedAttributeTotal(indexes: readonly { Projection: Projection }[]): void {
  const total = projectedAttributeCount(indexes);
  // unverified: the ", provided: N" tail; "Number of projected attributes in all indexes
  // exceeds limit of 100" is the text tools quote from DynamoDB.
  if (total > projectedAttributesMax) {
    throw invalidParameter(`Number of projected attributes in all indexes exceeds limit of ${projectedAttributesMax}, provided: ${total}`);
  }
}
