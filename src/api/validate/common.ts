// Checks shared by control-plane operations: table and index names, the "N validation
// error(s) detected" message DynamoDB's request validator builds, and resource ARNs.
//
// DynamoDB validates a request in two passes. The first is a shape validator: every
// member constraint (not null, length, pattern, enum, minimum) is checked, the failures
// are listed in one message ("2 validation errors detected: a; b", at most 10 listed),
// and nothing else runs. The second pass is hand-written per operation and stops at the
// first failure, usually with "One or more parameter values were invalid: ...".
// ConstraintErrors models the first pass; the check* functions of each operation the second.
import { DynamoError, validationError } from '../../model/errors.js';
import {
  indexNameLengthMax,
  indexNameLengthMin,
  resourceArnLengthMax,
  tableArnLengthMax,
  tableNameLengthMax,
  tableNameLengthMin,
  validationErrorsListedMax,
} from '../../model/limits.js';

/** The pattern DynamoDB states for table and index names, as it prints it. */
export const namePatternText = '[a-zA-Z0-9_.-]+';
const namePattern = /^[a-zA-Z0-9_.-]+$/;

/** The prefix of DynamoDB's hand-written parameter errors. */
export const invalidParameterPrefix = 'One or more parameter values were invalid: ';

/** "One or more parameter values were invalid: <detail>" as a ValidationException. */
export function invalidParameter(detail: string): DynamoError {
  return validationError(invalidParameterPrefix + detail);
}

/**
 * A JSON value of the wrong type. DynamoDB's JSON reader rejects these before validation
 * with a SerializationException.
 */
// unverified: the exact SerializationException texts of today's service; these follow the
// Jackson-style wording older DynamoDB returned ("Expected null", "Start of list found ...").
export function serializationError(value: unknown, expected: 'string' | 'number' | 'boolean' | 'list' | 'structure'): DynamoError {
  if (Array.isArray(value)) return new DynamoError('SerializationException', 'Start of list found where not expected');
  if (typeof value === 'object' && value !== null && expected !== 'structure') {
    return new DynamoError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (expected === 'list') return new DynamoError('SerializationException', 'Expected list or null');
  if (expected === 'structure') return new DynamoError('SerializationException', 'Expected null');
  const javaType = expected === 'string' ? 'String' : expected === 'number' ? 'Long' : 'Boolean';
  return new DynamoError('SerializationException', `${describeJavaClass(value)} can not be converted to an ${javaType}`);
}

function describeJavaClass(value: unknown): string {
  if (typeof value === 'boolean') return 'class java.lang.Boolean';
  if (typeof value === 'string') return 'class java.lang.String';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'class java.lang.Double';
    return Math.abs(value) <= 2147483647 ? 'class java.lang.Integer' : 'class java.lang.Long';
  }
  return 'class java.lang.Object';
}

/**
 * How DynamoDB prints a value inside a constraint failure: `null` bare, anything else
 * in single quotes; lists as "[a, b]" (Java's List.toString).
 */
export function renderValue(value: unknown, renderItem: (item: unknown) => string = renderListItem): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map(renderItem).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

function renderListItem(item: unknown): string {
  if (item === null || item === undefined) return 'null';
  if (typeof item === 'object') return JSON.stringify(item);
  return String(item);
}

/** "1 validation error detected: a" / "3 validation errors detected: a; b; c". */
export function validationErrorsMessage(failures: readonly string[]): string {
  const listed = failures.slice(0, validationErrorsListedMax);
  const noun = listed.length === 1 ? 'error' : 'errors';
  return `${listed.length} validation ${noun} detected: ${listed.join('; ')}`;
}

/**
 * Collects shape-constraint failures in DynamoDB's wording, then throws them as one
 * ValidationException. DynamoDB stops listing after 10 failures, and so does this.
 * Other operations reuse it for e.g. Limit >= 1, the ReturnValues / Select enums and
 * Segment / TotalSegments.
 */
export class ConstraintErrors {
  readonly failures: string[] = [];

  /** Adds "Value <v> at '<path>' failed to satisfy constraint: <constraint>". */
  add(path: string, value: unknown, constraint: string, rendered: string = renderValue(value)): void {
    if (this.failures.length >= validationErrorsListedMax) return;
    this.failures.push(`Value ${rendered} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** Records a missing member; returns true when the value is present. */
  notNull(path: string, value: unknown): boolean {
    if (value !== undefined && value !== null) return true;
    this.add(path, null, 'Member must not be null');
    return false;
  }

  /** String or list length bounds; either bound may be omitted. */
  length(path: string, value: string | readonly unknown[], min?: number, max?: number, rendered?: string): void {
    if (min !== undefined && value.length < min) {
      this.add(path, value, `Member must have length greater than or equal to ${min}`, rendered);
    }
    if (max !== undefined && value.length > max) {
      this.add(path, value, `Member must have length less than or equal to ${max}`, rendered);
    }
  }

  /** Regular-expression constraint; `patternText` is printed as DynamoDB prints it. */
  pattern(path: string, value: string, pattern: RegExp, patternText: string): void {
    if (!pattern.test(value)) this.add(path, value, `Member must satisfy regular expression pattern: ${patternText}`);
  }

  /** Enum constraint; `allowed` must be in the order DynamoDB lists it. */
  enumOf(path: string, value: unknown, allowed: readonly string[]): void {
    if (typeof value === 'string' && allowed.includes(value)) return;
    this.add(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  /** Numeric minimum ("Member must have value greater than or equal to N"). */
  minValue(path: string, value: number, min: number): void {
    if (value < min) this.add(path, value, `Member must have value greater than or equal to ${min}`);
  }

  /** Numeric maximum ("Member must have value less than or equal to N"). */
  maxValue(path: string, value: number, max: number): void {
    if (value > max) this.add(path, value, `Member must have value less than or equal to ${max}`);
  }

  get size(): number {
    return this.failures.length;
  }

  /** Throws the combined ValidationException if anything failed. */
  throwIfAny(): void {
    if (this.failures.length > 0) throw validationError(validationErrorsMessage(this.failures));
  }
}

/** A string member, or a SerializationException for any other JSON type. Absent stays undefined. */
export function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serializationError(value, 'string');
  return value;
}

/** A list member, or a SerializationException for any other JSON type. */
export function optionalList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError(value, 'list');
  return value;
}

/** A structure member, or a SerializationException for any other JSON type. */
export function optionalStructure(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(value, 'structure');
  return value as Record<string, unknown>;
}

/** A boolean member, or a SerializationException for any other JSON type. */
export function optionalBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serializationError(value, 'boolean');
  return value;
}

/** A Long member: numbers are truncated toward zero as Java's reader does. */
export function optionalLong(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw serializationError(value, 'number');
  return Math.trunc(value);
}

/**
 * Adds the table-name failures of a control-plane operation to `errors`: length 3..255
 * first, then the pattern (DynamoDB lists them in that order, e.g. for an empty name:
 * "2 validation errors detected: Value '' at 'tableName' ... length greater than or
 * equal to 3; Value '' at 'tableName' ... regular expression pattern: [a-zA-Z0-9_.-]+").
 */
export function collectTableNameErrors(errors: ConstraintErrors, value: unknown, path = 'tableName'): string | undefined {
  const name = optionalString(value);
  if (!errors.notNull(path, name) || name === undefined) return undefined;
  errors.length(path, name, tableNameLengthMin, tableNameLengthMax);
  errors.pattern(path, name, namePattern, namePatternText);
  return name;
}

/**
 * Checks the TableName of a control-plane operation (CreateTable, DescribeTable,
 * UpdateTable, DeleteTable, ...). The path is 'tableName' for those; batch and
 * transaction operations pass their own (e.g. 'transactItems.1.member.put.tableName').
 */
export function checkTableName(value: unknown, paramName = 'tableName'): string {
  const errors = new ConstraintErrors();
  const name = collectTableNameErrors(errors, value, paramName);
  errors.throwIfAny();
  return name as string;
}

/**
 * Checks the TableName of a data-plane operation, which may also be a table ARN (shape
 * TableArn, 1..1024). An empty name fails the 1-character minimum only; a non-ARN name
 * must match the name pattern and stay within 255 characters; names of 1 or 2 characters
 * pass and are then simply not found.
 */
// unverified: the 1-or-2-character case and the order of the two length failures; the
// empty-name text ("Member must have length greater than or equal to 1") is DynamoDB's.
export function checkTableNameOrArn(value: unknown, paramName = 'tableName'): { tableName: string; arn?: ResourceArn } {
  const errors = new ConstraintErrors();
  const name = optionalString(value);
  if (name === undefined) {
    errors.notNull(paramName, name);
  } else if (name.startsWith('arn:')) {
    errors.length(paramName, name, 1, tableArnLengthMax);
  } else if (name.length === 0) {
    errors.length(paramName, name, 1);
  } else {
    errors.pattern(paramName, name, namePattern, namePatternText);
    errors.length(paramName, name, undefined, tableNameLengthMax);
  }
  errors.throwIfAny();
  const text = name as string;
  if (!text.startsWith('arn:')) return { tableName: text };
  const arn = parseResourceArn(text);
  if (arn.resourceType !== 'table' || arn.tableName === '' || arn.arn.split('/').length !== 2) {
    throw invalidParameter(`Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${text}`);
  }
  return { tableName: arn.tableName, arn };
}

/** Adds the index-name failures (3..255 then the pattern) at `path`. */
export function collectIndexNameErrors(errors: ConstraintErrors, value: unknown, path: string): string | undefined {
  const name = optionalString(value);
  if (!errors.notNull(path, name) || name === undefined) return undefined;
  errors.length(path, name, indexNameLengthMin, indexNameLengthMax);
  errors.pattern(path, name, namePattern, namePatternText);
  return name;
}

/**
 * Checks an IndexName parameter (Query, Scan, ...). Absent is allowed there, so
 * undefined comes back as undefined.
 */
export function checkIndexName(value: unknown, paramName = 'indexName'): string | undefined {
  if (value === undefined || value === null) return undefined;
  const errors = new ConstraintErrors();
  const name = collectIndexNameErrors(errors, value, paramName);
  errors.throwIfAny();
  return name;
}

// ---- ARNs -------------------------------------------------------------------------------

/** A parsed DynamoDB resource ARN: arn:<partition>:dynamodb:<region>:<account>:table/<name>[/index/<i>|/stream/<label>|/backup/<id>]. */
export interface ResourceArn {
  arn: string;
  partition: string;
  service: string;
  region: string;
  account: string;
  /** 'table' for table, index, stream and backup ARNs; other values for foreign resources. */
  resourceType: string;
  tableName: string;
  indexName?: string;
  streamLabel?: string;
  backupId?: string;
}

/**
 * Splits an ARN into its parts. Throws DynamoDB's texts for strings that are no ARN or
 * no DynamoDB ARN:
 *   "One or more parameter values were invalid: ARNs must start with 'arn:': <value>"
 *   "One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: <value>"
 */
// unverified: the texts for an ARN with fewer than six parts; the two above come from a
// catalogue of texts recorded from DynamoDB for ListTagsOfResource / TagResource.
export function parseResourceArn(value: string): ResourceArn {
  if (!value.startsWith('arn:')) throw invalidParameter(`ARNs must start with 'arn:': ${value}`);
  const parts = value.split(':');
  if (parts.length < 6) throw invalidParameter(`Provided Arn is not a DynamoDB resource arn: ${value}`);
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (service !== 'dynamodb' || partition === '') {
    throw invalidParameter(`Provided Arn is not a DynamoDB resource arn: ${value}`);
  }
  const segments = resource.split('/');
  const resourceType = segments[0] ?? '';
  const tableName = segments[1] ?? '';
  const parsed: ResourceArn = { arn: value, partition, service, region, account, resourceType, tableName };
  if (segments[2] === 'index' && segments[3] !== undefined) parsed.indexName = segments[3];
  if (segments[2] === 'stream' && segments[3] !== undefined) parsed.streamLabel = segments[3];
  if (segments[2] === 'backup' && segments[3] !== undefined) parsed.backupId = segments[3];
  return parsed;
}

/** Where the server runs: ARNs naming another region or account are not ours. */
export interface ArnScope {
  region: string;
  account: string;
}

/**
 * Checks the ResourceArn of TagResource, UntagResource and ListTagsOfResource and returns
 * the table name. Order: missing / length (shape), then 'arn:' prefix, DynamoDB service,
 * resource type (index ARNs are refused), region and account.
 */
// unverified: the account-mismatch text (DynamoDB answers AccessDeniedException for a
// foreign account in practice; we treat it like a foreign region).
export function checkTaggableArn(value: unknown, scope: ArnScope, paramName = 'resourceArn'): ResourceArn {
  const errors = new ConstraintErrors();
  const text = optionalString(value);
  if (errors.notNull(paramName, text) && text !== undefined) {
    errors.length(paramName, text, 1, resourceArnLengthMax);
  }
  errors.throwIfAny();
  const arn = parseResourceArn(text as string);
  // Table ARNs (table/<name>) and stream ARNs (table/<name>/stream/<label>) are taggable;
  // index and backup ARNs are not.
  const depth = arn.arn.split('/').length;
  const taggable = arn.resourceType === 'table' && arn.tableName !== '' && (depth === 2 || (depth === 4 && arn.streamLabel !== undefined));
  if (!taggable) {
    throw invalidParameter(`Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn.arn}`);
  }
  if (arn.region !== scope.region || arn.account !== scope.account) {
    throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn.arn}`);
  }
  return arn;
}

/** The not-found error of the tag operations for a well-formed ARN of a missing table. */
export function resourceArnNotFound(arn: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: ResourceArn: ${arn} not found`);
}

/** The table ARN DynamoDB reports for a table. */
export function tableArn(scope: ArnScope, tableName: string, partition = 'aws'): string {
  return `arn:${partition}:dynamodb:${scope.region}:${scope.account}:table/${tableName}`;
}
