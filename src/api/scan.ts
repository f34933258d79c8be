// Scan: every item of a table or index, a page at a time, in partition-hash order (as DynamoDB
// scans), optionally one segment of a parallel scan. Shares its checks and response shaping
// with Query (query.ts); texts and order from dynalite's suite, recorded against DynamoDB.
import { hashElements, rangeElements } from '../engine/table-spec.js';
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import { entryKeyOf, rangeHolds, resumeAfter, scanRange, totalSegmentsMax, type ReadSource } from '../engine/item-reader.js';
import { validationError } from '../model/errors.js';
import { checkParameterMixing } from '../expressions/index.js';
import {
  checkAllAttributesAllowed, checkSourceUsage, checkStartKeyCount, checkStartKeyPiece,
  checkStartKeyTableKey, checkStartKeyValues, collectAttributesToGetErrors, collectConditionMapErrors,
  collectConditionalOperatorErrors, collectLimitErrors, findTable, prepareReadExpressions, prepareReadLegacy,
  readAndAnswer, resolveSelect, resolveSource, type SelectMode,
} from './query.js';
import { ConstraintErrors, collectIndexNameErrors, collectTableNameErrors, optionalBoolean, optionalLong, optionalString } from './validate/common.js';
import { optionalEnum, returnConsumedCapacityValues, selectValues } from './validate/request.js';

type Input = Record<string, unknown>;

const given = (value: unknown): boolean => value !== undefined && value !== null;

interface Segmenting {
  segment: number;
  totalSegments: number;
}

/** Segment and TotalSegments: both or neither, Segment below TotalSegments. */
function checkSegments(segment: number | undefined, totalSegments: number | undefined): Segmenting | undefined {
  if (segment !== undefined && totalSegments === undefined) {
    throw validationError('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (totalSegments === undefined) return undefined;
  if (segment === undefined) {
    throw validationError('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (segment >= totalSegments) {
    throw validationError(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`,
    );
  }
  return { segment, totalSegments };
}

/**
 * A Scan's ExclusiveStartKey: the count of key attributes, then (on an index) each index key,
 * then the table's key. Returns nothing; the Select check on a GSI comes between (dynalite).
 */
function checkIndexStartKey(startKey: Item, source: ReadSource): void {
  checkStartKeyCount(startKey, source, source.index !== undefined);
  if (source.index === undefined) return;
  for (const element of hashElements(source.keySchema)) checkStartKeyPiece(startKey, element, true);
  for (const element of rangeElements(source.keySchema)) checkStartKeyPiece(startKey, element, false);
}

export function scan(input: Input, db: Database): unknown {
  // Pass 1: shape, in DynamoDB's order (dynalite's recorded message).
  const errors = new ConstraintErrors();
  optionalEnum(errors, 'select', optionalString(input.Select), selectValues);
  if (given(input.IndexName)) collectIndexNameErrors(errors, input.IndexName, 'indexName');
  const totalSegments = optionalLong(input.TotalSegments);
  if (totalSegments !== undefined) {
    errors.minValue('totalSegments', totalSegments, 1);
    errors.maxValue('totalSegments', totalSegments, totalSegmentsMax);
  }
  optionalEnum(errors, 'returnConsumedCapacity', optionalString(input.ReturnConsumedCapacity), returnConsumedCapacityValues);
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  collectConditionalOperatorErrors(errors, input);
  collectConditionMapErrors(errors, input.ScanFilter, 'scanFilter');
  const segment = optionalLong(input.Segment);
  if (segment !== undefined) {
    errors.minValue('segment', segment, 0);
    errors.maxValue('segment', segment, totalSegmentsMax - 1);
  }
  const limit = collectLimitErrors(errors, input);
  collectAttributesToGetErrors(errors, input);
  const consistent = optionalBoolean(input.ConsistentRead) === true;
  errors.throwIfAny();

  // Pass 2: what needs no table.
  checkParameterMixing(input, 'Scan');
  const legacy = prepareReadLegacy(input, 'Scan'); // AttributesToGet, then ScanFilter
  const startKey = checkStartKeyValues(input);
  const segmenting = checkSegments(segment, totalSegments);
  const prepared = prepareReadExpressions(input, legacy);
  const select: SelectMode = resolveSelect(input);

  // Pass 3: the table, the index, the key schema.
  const table = findTable(db, tableName);
  const source = resolveSource(table, optionalString(input.IndexName), consistent);
  if (startKey !== undefined) checkIndexStartKey(startKey, source);
  // In a Scan, ALL_ATTRIBUTES on a GSI is checked before the start key's table key (dynalite).
  checkAllAttributesAllowed(source, select);
  let range = scanRange(source, segmenting?.segment, segmenting?.totalSegments);
  if (startKey !== undefined) {
    checkStartKeyTableKey(startKey, source);
    const entryKey = entryKeyOf(source, startKey);
    if (segmenting !== undefined && !rangeHolds(range, entryKey)) {
      // unverified: dynalite's text for a start key outside the requested segment.
      throw validationError(
        `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${segmenting.totalSegments} Segment: ${segmenting.segment}`,
      );
    }
    range = resumeAfter(range, entryKey, false);
  }
  const fetchFromTable = checkSourceUsage(prepared, source, select, undefined);

  return readAndAnswer(db, { source, range, reverse: false, limit, fetchFromTable, select, consistent, prepared }, input.ReturnConsumedCapacity);
}
