// Query: the items of one partition of a table or index, in sort key order, a page at a time.
// This file also holds the checks and response shaping Query and Scan share (scan.ts imports
// them): Select and projection rules, index resolution, ExclusiveStartKey, consumed capacity.
//
// DynamoDB validates in passes, and so does this file: the shape pass (one "N validation errors
// detected" message), then hand-written checks that need no table (parameter mixing, the
// legacy QueryFilter/ScanFilter/AttributesToGet, the ExclusiveStartKey's values, expressions
// and KeyConditions, Select), then the table and index, then the checks
// that need the key schema. Texts and order come from dynalite's suite (recorded against
// DynamoDB), ScyllaDB's alternator suite and DynamoDB Local; each unverified one says so.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { consumedCapacity, readUnits, type CapacityCharge } from '../engine/consumed-capacity.js';
import {
  entryKeyOf, lastEvaluatedKey, queryRange, readPage, resumeAfter, sortConditionHolds,
  type KeyRange, type Page, type ReadSource, type SortCondition,
} from '../engine/item-reader.js';
import { hashElements, isMultiAttribute, keyElements, rangeElements, type IndexSpec, type KeyElement, type KeySchema } from '../engine/table-spec.js';
import { DynamoError, validationError } from '../model/errors.js';
import { base64DecodedSize, utf8Size } from '../model/item-size.js';
import { checkKeyArgument } from '../model/keys.js';
import { partitionKeyBytesMax, sortKeyBytesMax } from '../model/limits.js';
import { checkItem } from '../model/values.js';
import {
  analyzeKeyCondition, checkKeyAttributeUsage, checkParameterMixing, evaluateCondition, forEachConditionPath, prepareExpressions, prepareLegacy, projectItem,
  type CompiledProjection, type KeyConditionPlan, type LegacyPrepared, type PreparedExpressions,
} from '../expressions/index.js';
import {
  ConstraintErrors, collectIndexNameErrors, collectTableNameErrors, optionalBoolean, optionalList, optionalLong,
  optionalString, optionalStructure,
} from './validate/common.js';
import { optionalEnum, returnConsumedCapacityValues, selectValues } from './validate/request.js';

type Input = Record<string, unknown>;
export type SelectMode = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

// The enum lists exactly as DynamoDB prints them (dynalite's recorded messages).
export const comparisonOperatorValues = [
  'IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS',
] as const;
export const conditionalOperatorValues = ['OR', 'AND'] as const;

const startKeyInvalid = 'The provided starting key is invalid';
const keyMismatch = 'The provided key element does not match the schema';

// ---------------------------------------------------------------- shape pass

/** Shape failures of a legacy condition map (KeyConditions, QueryFilter, ScanFilter). */
export function collectConditionMapErrors(errors: ConstraintErrors, value: unknown, path: string): void {
  const map = optionalStructure(value);
  if (map === undefined) return;
  for (const name in map) {
    const condition = optionalStructure(map[name]) ?? {};
    optionalList(condition.AttributeValueList);
    const operator = optionalString(condition.ComparisonOperator);
    const memberPath = `${path}.${name}.member.comparisonOperator`;
    if (errors.notNull(memberPath, operator)) errors.enumOf(memberPath, operator, comparisonOperatorValues);
  }
}

/** Shape failures shared by Query and Scan that are not in a fixed place of the list. */
export function collectConditionalOperatorErrors(errors: ConstraintErrors, input: Input): void {
  optionalEnum(errors, 'conditionalOperator', optionalString(input.ConditionalOperator), conditionalOperatorValues);
}

export function collectAttributesToGetErrors(errors: ConstraintErrors, input: Input): void {
  const names = optionalList(input.AttributesToGet);
  if (names !== undefined) errors.length('attributesToGet', names, 1);
}

export function collectLimitErrors(errors: ConstraintErrors, input: Input): number | undefined {
  const limit = optionalLong(input.Limit);
  if (limit !== undefined) errors.minValue('limit', limit, 1);
  return limit;
}

// ---------------------------------------------------------------- hand-written, no table yet

/** A member counts as given when present and not null (DynamoDB reads JSON null as absent). */
const given = (value: unknown): boolean => value !== undefined && value !== null;

// DynamoDB prefixes some value failures of an ExclusiveStartKey with "The provided starting
// key is invalid: " and reports the number and set-duplicate ones bare (dynalite's suite).
const barePattern = /numeric value|significant digits|Number overflow|Number underflow|contains duplicates|An number set/;

/** Checks the attribute values of an ExclusiveStartKey (not yet against any key schema). */
export function checkStartKeyValues(input: Input): Item | undefined {
  if (!given(input.ExclusiveStartKey)) return undefined;
  try {
    return checkItem(input.ExclusiveStartKey);
  } catch (error) {
    if (!(error instanceof DynamoError) || error.name !== 'ValidationException' || barePattern.test(error.message)) throw error;
    throw validationError(`${startKeyInvalid}: ${error.message}`);
  }
}

/**
 * The Select mode, after DynamoDB's rules on Select and projections: a projection only with
 * SPECIFIC_ATTRIBUTES (its default then), ALL_PROJECTED_ATTRIBUTES only on an index (its
 * default there).
 */
export function resolveSelect(input: Input): SelectMode {
  const select = optionalString(input.Select) as SelectMode | undefined;
  const projectionName = given(input.ProjectionExpression) ? 'ProjectionExpression' : given(input.AttributesToGet) ? 'AttributesToGet' : undefined;
  const onIndex = given(input.IndexName);
  if (select === undefined) return projectionName !== undefined ? 'SPECIFIC_ATTRIBUTES' : onIndex ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  if (select === 'SPECIFIC_ATTRIBUTES') {
    if (projectionName === undefined) {
      // unverified: text reported by several emulators; DynamoDB Local has no such code.
      throw validationError('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    }
    return select;
  }
  if (projectionName !== undefined) {
    // "only the Count" is DynamoDB Local's text; the ALL_* variants unverified, same pattern.
    const what = select === 'COUNT' ? 'only the Count' : select;
    throw validationError(`Cannot specify the ${projectionName} when choosing to get ${what}`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !onIndex) {
    throw validationError('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  return select;
}

/**
 * Checks and converts the legacy parameters that DynamoDB checks before the ExclusiveStartKey
 * (QueryFilter, AttributesToGet, ScanFilter); KeyConditions come with the expressions.
 * A Scan reads their values with the legacy validation layer.
 */
export function prepareReadLegacy(input: Input, operation: 'Query' | 'Scan'): LegacyPrepared {
  return prepareLegacy(input, operation === 'Scan' ? 'legacy' : 'current');
}

/** Compiles the request's expressions and KeyConditions, with its legacy parameters already converted. */
export function prepareReadExpressions(input: Input, legacy: LegacyPrepared): PreparedExpressions {
  return prepareExpressions(
    {
      FilterExpression: input.FilterExpression as string | undefined,
      KeyConditionExpression: input.KeyConditionExpression as string | undefined,
      ProjectionExpression: input.ProjectionExpression as string | undefined,
      ExpressionAttributeNames: input.ExpressionAttributeNames,
      ExpressionAttributeValues: input.ExpressionAttributeValues,
      KeyConditions: input.KeyConditions,
    },
    legacy,
  );
}

// ---------------------------------------------------------------- table and index

/** Query and Scan answer a missing table with the bare text (dynalite's suite). */
export function findTable(db: Database, tableName: string): TableRecord {
  const table = db.catalog.find(tableName);
  if (table === undefined) throw new DynamoError('ResourceNotFoundException', 'Requested resource not found');
  return table;
}

export function resolveSource(table: TableRecord, indexName: string | undefined, consistent: boolean): ReadSource {
  if (indexName === undefined) {
    return { table, index: undefined, global: false, indexNumber: 0, keySchema: table.spec.keySchema };
  }
  const spec = table.spec;
  let index: IndexSpec | undefined = spec.LocalSecondaryIndexes.find((candidate) => candidate.IndexName === indexName);
  const global = index === undefined;
  index ??= spec.GlobalSecondaryIndexes.find((candidate) => candidate.IndexName === indexName && candidate.IndexStatus !== 'DELETING');
  if (index === undefined) throw validationError(`The table does not have the specified index: ${indexName}`);
  if (global && consistent) throw validationError('Consistent reads are not supported on global secondary indexes');
  // unverified: the text DynamoDB gives while a new GSI is backfilling.
  if (global && index.Backfilling === true) throw validationError(`Cannot read from backfilling global secondary index: ${indexName}`);
  return { table, index, global, indexNumber: table.indexNumbers[indexName]!, keySchema: index.keySchema };
}

/** Names an ExclusiveStartKey must hold: the table's keys, then the index's others. */
function startKeyNames(source: ReadSource): string[] {
  const names = keyElements(source.table.spec.keySchema).map((element) => element.name);
  if (source.index !== undefined) {
    for (const element of keyElements(source.keySchema)) if (!names.includes(element.name)) names.push(element.name);
  }
  return names;
}

function attributeCount(item: Item): number {
  let count = 0;
  for (const _ in item) count++;
  return count;
}

/** The count check: a Query (or a Scan of an index) says just "is invalid". */
export function checkStartKeyCount(startKey: Item, source: ReadSource, bareForTable: boolean): void {
  if (attributeCount(startKey) === startKeyNames(source).length) return;
  throw validationError(bareForTable ? startKeyInvalid : `${startKeyInvalid}: ${keyMismatch}`);
}

/** One key attribute of the source read: present, of the schema's type, not empty or too long. */
export function checkStartKeyPiece(startKey: Item, element: KeyElement, isPartitionKey: boolean): void {
  const value = startKey[element.name];
  if (value === undefined) throw validationError(startKeyInvalid);
  if (typeOf(value) !== element.type) throw validationError(keyMismatch);
  if (element.type === 'N') return;
  const bytes = 'S' in value ? utf8Size(value.S) : base64DecodedSize((value as { B: string }).B);
  if (bytes === 0) {
    throw validationError(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${element.type === 'S' ? 'string' : 'binary'} value. Key: ${element.name}`,
    );
  }
  checkKeyValueBytes(bytes, isPartitionKey);
}

// unverified for ExclusiveStartKey and key conditions: the item texts of model/keys.ts. The
// check also keeps every storage key a read computes within the store's key size.
function checkKeyValueBytes(bytes: number, isPartitionKey: boolean): void {
  if (isPartitionKey && bytes > partitionKeyBytesMax) {
    throw validationError(`One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of${partitionKeyBytesMax} bytes`);
  }
  if (!isPartitionKey && bytes > sortKeyBytesMax) {
    throw validationError(`One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${sortKeyBytesMax} bytes`);
  }
}

function keyValueBytes(value: AttributeValue): number {
  if ('S' in value) return utf8Size(value.S);
  if ('B' in value) return base64DecodedSize(value.B);
  return 0;
}

/** Key condition values longer than a key can be. */
function checkConditionValueBytes(plan: KeyConditionPlan, sort: SortCondition | undefined): void {
  for (const value of plan.partitionValues) checkKeyValueBytes(keyValueBytes(value), true);
  for (const value of [...plan.sortPrefix, ...(sort?.values ?? [])]) checkKeyValueBytes(keyValueBytes(value), false);
}

/** The table's key inside an ExclusiveStartKey, checked with the "is invalid: " prefix. */
export function checkStartKeyTableKey(startKey: Item, source: ReadSource): void {
  const schema = source.table.spec.keySchema;
  const tableKey: Item = {};
  for (const element of keyElements(schema)) {
    const value = startKey[element.name];
    if (value !== undefined) tableKey[element.name] = value;
  }
  try {
    checkKeyArgument(tableKey, schema);
  } catch (error) {
    if (error instanceof DynamoError) throw validationError(`${startKeyInvalid}: ${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------- checks that need the schema

function indexProjects(source: ReadSource, name: string): boolean {
  const index = source.index!;
  if (index.Projection.ProjectionType === 'ALL') return true;
  const tableKeys = source.table.spec.keySchema;
  if (name === tableKeys.partitionKey.name || name === tableKeys.sortKey?.name) return true;
  if (keyElements(index.keySchema).some((element) => element.name === name)) return true;
  return index.Projection.NonKeyAttributes?.includes(name) ?? false;
}

/** Nested paths into another index's key attribute ("IndexKey"; dynalite's suite). */
function checkIndexKeyPaths(prepared: PreparedExpressions, table: TableRecord): void {
  const indexKeys = new Set<string>();
  for (const index of [...table.spec.LocalSecondaryIndexes, ...table.spec.GlobalSecondaryIndexes]) {
    for (const element of keyElements(index.keySchema)) indexKeys.add(element.name);
  }
  const tableKeys = keyElements(table.spec.keySchema).map((element) => element.name);
  for (const name of tableKeys) indexKeys.delete(name);
  if (indexKeys.size === 0) return;
  const nested = (path: readonly (string | number)[]): void => {
    if (path.length > 1 && indexKeys.has(path[0] as string)) {
      throw validationError(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: ${path[0] as string}`);
    }
  };
  prepared.projection?.paths.forEach(nested);
  if (prepared.filter !== undefined) forEachConditionPath(prepared.filter, nested);
}

/** Select ALL_ATTRIBUTES on a GSI that does not project every attribute (dynalite's suite). */
export function checkAllAttributesAllowed(source: ReadSource, select: SelectMode): void {
  const index = source.index;
  if (select !== 'ALL_ATTRIBUTES' || !source.global || index === undefined || index.Projection.ProjectionType === 'ALL') return;
  throw validationError(
    `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.IndexName} because its projection type is not ALL`,
  );
}

/**
 * The checks that need the key schema and the index's projection: no path into a key, no key
 * attribute in a Query's filter, ALL_ATTRIBUTES only on an index that projects everything or an
 * LSI, a filter only on projected attributes, a GSI projection only of projected attributes.
 * Returns whether an LSI read must complete its entries from the table.
 */
export function checkSourceUsage(
  prepared: PreparedExpressions,
  source: ReadSource,
  select: SelectMode,
  queryFilterName: 'QueryFilter' | 'Filter Expression' | undefined,
): boolean {
  const table = source.table;
  checkKeyAttributeUsage(prepared, table.spec.keySchema);
  checkIndexKeyPaths(prepared, table);
  if (queryFilterName !== undefined && prepared.filter !== undefined) {
    for (const element of keyElements(source.keySchema)) {
      if (prepared.filter.attributeNames.includes(element.name)) {
        throw validationError(`${queryFilterName} can only contain non-primary key attributes: Primary key attribute: ${element.name}`);
      }
    }
  }
  const index = source.index;
  if (index === undefined || index.Projection.ProjectionType === 'ALL') return false;
  checkAllAttributesAllowed(source, select);
  if (prepared.filter !== undefined) {
    const missing = prepared.filter.attributeNames.filter((name) => !indexProjects(source, name));
    if (missing.length > 0) {
      throw validationError(
        `One or more parameter values were invalid: Secondary index ${index.IndexName} does not project one or more filter attributes: [${missing.join(', ')}]`,
      );
    }
  }
  const projected = prepared.projection?.attributeNames.filter((name) => !indexProjects(source, name)) ?? [];
  if (source.global) {
    if (projected.length > 0) {
      throw validationError(
        `One or more parameter values were invalid: Global secondary index ${index.IndexName} does not project [${projected.join(', ')}]`,
      );
    }
    return false;
  }
  // An LSI completes what it does not project from the table, at the cost of the table read.
  return select === 'ALL_ATTRIBUTES' || projected.length > 0;
}

// ---------------------------------------------------------------- response

/** One page of a Query or Scan, checked and planned: what to read and how to answer. */
export interface PageRead {
  source: ReadSource;
  range: KeyRange;
  reverse: boolean;
  limit: number | undefined;
  fetchFromTable: boolean;
  select: SelectMode;
  consistent: boolean;
  prepared: PreparedExpressions;
}

/** Reads the page (filter and projection applied) and answers it with Count, ScannedCount and capacity. */
export function readAndAnswer(db: Database, read: PageRead, returnConsumedCapacity: unknown): Record<string, unknown> {
  const page = readPage(db.store, read.source, {
    range: read.range,
    reverse: read.reverse,
    limit: read.limit,
    fetchFromTable: read.fetchFromTable,
    accept: filterOf(read.prepared),
    shape: read.select === 'SPECIFIC_ATTRIBUTES' ? projectionOf(read.prepared) : undefined,
    countOnly: read.select === 'COUNT',
  });
  return readResponse({ page, ...read }, returnConsumedCapacity);
}

interface ReadOutcome {
  page: Page;
  source: ReadSource;
  select: SelectMode;
  consistent: boolean;
  fetchFromTable: boolean;
}

function projectionOf(prepared: PreparedExpressions): ((item: Item) => Item) | undefined {
  const projection: CompiledProjection | undefined = prepared.projection;
  return projection === undefined ? undefined : (item) => projectItem(item, projection);
}

function filterOf(prepared: PreparedExpressions): ((item: Item) => boolean) | undefined {
  const filter = prepared.filter;
  return filter === undefined ? undefined : (item) => evaluateCondition(filter, item);
}

/**
 * Read capacity: the bytes read, rounded up to 4 KB once per request (half for eventually
 * consistent reads); an index read is charged to the index, an LSI's table fetches to the table.
 */
function readCharge(outcome: ReadOutcome): CapacityCharge {
  const { page, source, consistent } = outcome;
  if (source.index === undefined) return { table: readUnits(page.sourceBytes, consistent) };
  const fetched = outcome.fetchFromTable && page.scannedCount > 0 ? readUnits(page.fetchedBytes, consistent) : 0;
  return {
    table: fetched,
    indexes: [{ name: source.index.IndexName, global: source.global, units: readUnits(page.sourceBytes, consistent) }],
  };
}

function readResponse(outcome: ReadOutcome, returnConsumedCapacity: unknown): Record<string, unknown> {
  const { page, source } = outcome;
  const response: Record<string, unknown> = {};
  if (outcome.select !== 'COUNT') response.Items = page.items;
  response.Count = page.count;
  response.ScannedCount = page.scannedCount;
  if (page.stoppedAt !== undefined) response.LastEvaluatedKey = lastEvaluatedKey(source, page.stoppedAt);
  const capacity = consumedCapacity(returnConsumedCapacity, source.table.spec.TableName, readCharge(outcome), 'read');
  if (capacity !== undefined) response.ConsumedCapacity = capacity;
  return response;
}

// ---------------------------------------------------------------- Query

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  return typeOf(a) === typeOf(b) && sortConditionHolds(a, { op: 'EQ', values: [b] });
}

export function query(input: Input, db: Database): unknown {
  // Pass 1: shape. DynamoDB lists the failures in this order (dynalite's recorded message).
  const errors = new ConstraintErrors();
  optionalEnum(errors, 'select', optionalString(input.Select), selectValues);
  if (given(input.IndexName)) collectIndexNameErrors(errors, input.IndexName, 'indexName');
  optionalEnum(errors, 'returnConsumedCapacity', optionalString(input.ReturnConsumedCapacity), returnConsumedCapacityValues);
  collectConditionMapErrors(errors, input.QueryFilter, 'queryFilter');
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  collectConditionalOperatorErrors(errors, input);
  collectAttributesToGetErrors(errors, input);
  const limit = collectLimitErrors(errors, input);
  collectConditionMapErrors(errors, input.KeyConditions, 'keyConditions');
  const consistent = optionalBoolean(input.ConsistentRead) === true;
  const forward = optionalBoolean(input.ScanIndexForward) !== false;
  errors.throwIfAny();

  // Pass 2: what needs no table.
  checkParameterMixing(input, 'Query');
  const legacy = prepareReadLegacy(input, 'Query');
  const startKey = checkStartKeyValues(input);
  if (!given(input.KeyConditions) && !given(input.KeyConditionExpression)) {
    throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const prepared = prepareReadExpressions(input, legacy);
  const keyCondition = prepared.keyCondition!;
  // A multi-attribute GSI key takes up to 8 conditions; the index decides (pass 3).
  const conditionCount = keyCondition.parts.length;
  const lengthInvalid = 'Conditions can be of length 1 or 2 only';
  if (conditionCount === 0 || (conditionCount > 2 && !given(input.IndexName))) throw validationError(lengthInvalid);
  const select = resolveSelect(input);

  // Pass 3: the table, the index, the key schema.
  const table = findTable(db, tableName);
  const source = resolveSource(table, optionalString(input.IndexName), consistent);
  const schema = source.keySchema;
  if (conditionCount > 2 && (!isMultiAttribute(schema) || conditionCount > keyElements(schema).length)) throw validationError(lengthInvalid);
  if (startKey !== undefined) {
    checkStartKeyCount(startKey, source, true);
    for (const element of hashElements(schema)) checkStartKeyPiece(startKey, element, true);
  }
  const plan = analyzeKeyCondition(keyCondition, schema);
  const sort: SortCondition | undefined = plan.sort;
  checkConditionValueBytes(plan, sort);
  if (startKey !== undefined) {
    for (const element of rangeElements(schema)) checkStartKeyPiece(startKey, element, false);
    checkStartKeyTableKey(startKey, source);
    checkStartKeyBounds(startKey, schema, plan, sort);
  }
  const fetchFromTable = checkSourceUsage(prepared, source, select, given(input.QueryFilter) ? 'QueryFilter' : 'Filter Expression');

  let range = queryRange(source, plan.partitionValues, plan.sortPrefix, sort);
  if (startKey !== undefined) range = resumeAfter(range, entryKeyOf(source, startKey), !forward);
  return readAndAnswer(db, { source, range, reverse: !forward, limit, fetchFromTable, select, consistent, prepared }, input.ReturnConsumedCapacity);
}

/**
 * A Query's ExclusiveStartKey must lie inside what the key condition selects (dynalite's
 * suite, recorded against DynamoDB; the sort check there covers GT only, here every operator).
 */
function checkStartKeyBounds(startKey: Item, schema: KeySchema, plan: KeyConditionPlan, sort: SortCondition | undefined): void {
  const samePartition = hashElements(schema).every((element, i) => sameValue(startKey[element.name]!, plan.partitionValues[i]!));
  if (sort === undefined) {
    if (!samePartition) throw validationError('The provided starting key is outside query boundaries based on provided conditions');
    return;
  }
  // Multi-attribute keys: the leading RANGE attributes given with `=`, then the last one's condition.
  const ranges = rangeElements(schema);
  const prefixHolds = plan.sortPrefix.every((value, i) => sameValue(startKey[ranges[i]!.name]!, value));
  if (!prefixHolds || !sortConditionHolds(startKey[ranges[plan.sortPrefix.length]!.name]!, sort)) {
    throw validationError('The provided starting key does not match the range key predicate');
  }
  if (!samePartition) throw validationError('The query can return at most one row and cannot be restarted');
}
