// ExportTableToPointInTime, DescribeExport and ListExports. An export writes the table as it was
// at one instant (FULL_EXPORT) or its changes over a window (INCREMENTAL_EXPORT) to a bucket in
// DynamoDB's S3 layout; it needs point-in-time recovery, reads the change log and consumes no
// read capacity (src/backup/exports.ts).
import type { Database } from '../engine/database.js';
import { backupServiceOf, objectStoreOf, restorableWindow, type ExportRecord, type ExportRequest, type ExportViewType } from '../backup/index.js';
import { DynamoError, validationError } from '../model/errors.js';
import { tableArnLengthMax } from '../model/limits.js';
import { clientTokenLifetimeMs, incrementalWindowMsMax, incrementalWindowMsMin, listExportsPageMax } from '../backup/index.js';
import { ConstraintErrors, optionalLong, optionalString, optionalStructure } from './validate/common.js';
import { collectTableArnErrors, optionalTimestamp, tableByNameOrArn, tableNotFound } from './backups.js';
import { isoSeconds } from './continuous-backups.js';

type Input = Record<string, unknown>;

// Enum orders as DynamoDB prints them (ExportFormat observed: "[ION, DYNAMODB_JSON]"; the others unverified).
const exportFormats = ['ION', 'DYNAMODB_JSON'] as const;
const exportTypes = ['FULL_EXPORT', 'INCREMENTAL_EXPORT'] as const;
const viewTypes = ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
const sseAlgorithms = ['AES256', 'KMS'] as const;
/** Patterns of the botocore model, printed as DynamoDB prints them. */
export const bucketPatternText = '^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$';
const bucketPattern = /^[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/;
export const bucketOwnerPatternText = '[0-9]{12}';
const bucketOwnerPattern = /^[0-9]{12}$/;
export const clientTokenPatternText = '^[^\\$]+$';
const clientTokenPattern = /^[^$]+$/;
export const s3BucketLengthMax = 255;
export const s3PrefixLengthMax = 1024;
const exportArnLengthMin = 37;
const exportArnLengthMax = 1024;

/** Shape checks shared with ImportTable's S3BucketSource. */
export function collectBucketErrors(errors: ConstraintErrors, bucket: unknown, owner: unknown, prefix: unknown, paths: { bucket: string; owner: string; prefix: string }) {
  const s3Bucket = optionalString(bucket);
  if (errors.notNull(paths.bucket, s3Bucket) && s3Bucket !== undefined) {
    errors.length(paths.bucket, s3Bucket, undefined, s3BucketLengthMax);
    errors.pattern(paths.bucket, s3Bucket, bucketPattern, bucketPatternText);
  }
  const s3BucketOwner = optionalString(owner);
  if (s3BucketOwner !== undefined) errors.pattern(paths.owner, s3BucketOwner, bucketOwnerPattern, bucketOwnerPatternText);
  const s3Prefix = optionalString(prefix);
  if (s3Prefix !== undefined) errors.length(paths.prefix, s3Prefix, undefined, s3PrefixLengthMax);
  return { s3Bucket, s3BucketOwner, s3Prefix };
}

export function collectClientTokenErrors(errors: ConstraintErrors, value: unknown): string | undefined {
  const token = optionalString(value);
  if (token !== undefined) errors.pattern('clientToken', token, clientTokenPattern, clientTokenPatternText);
  return token;
}

export async function exportTableToPointInTime(input: Input, db: Database): Promise<unknown> {
  const errors = new ConstraintErrors();
  const tableArn = collectTableArnErrors(errors, input.TableArn, 'tableArn');
  const clientToken = collectClientTokenErrors(errors, input.ClientToken);
  const { s3Bucket, s3BucketOwner, s3Prefix } = collectBucketErrors(errors, input.S3Bucket, input.S3BucketOwner, input.S3Prefix, {
    bucket: 's3Bucket',
    owner: 's3BucketOwner',
    prefix: 's3Prefix',
  });
  const sse = optionalString(input.S3SseAlgorithm);
  if (sse !== undefined) errors.enumOf('s3SseAlgorithm', sse, sseAlgorithms);
  const kmsKeyId = optionalString(input.S3SseKmsKeyId);
  if (kmsKeyId !== undefined) errors.length('s3SseKmsKeyId', kmsKeyId, 1, 2048);
  const format = optionalString(input.ExportFormat);
  if (format !== undefined) errors.enumOf('exportFormat', format, exportFormats);
  const type = optionalString(input.ExportType);
  if (type !== undefined) errors.enumOf('exportType', type, exportTypes);
  const spec = optionalStructure(input.IncrementalExportSpecification);
  const view = optionalString(spec?.ExportViewType);
  if (view !== undefined) errors.enumOf('incrementalExportSpecification.exportViewType', view, viewTypes);
  errors.throwIfAny();
  const exportMsRequested = optionalTimestamp(input.ExportTime);
  const fromMs = optionalTimestamp(spec?.ExportFromTime);
  const toMsRequested = optionalTimestamp(spec?.ExportToTime);

  // Empty S3Prefix: the model sets no minimum length, DynamoDB refuses it all the same.
  if (s3Prefix === '') errors.length('s3Prefix', s3Prefix, 1, s3PrefixLengthMax);
  errors.throwIfAny();
  const table = exportSourceTable(db, tableArn as string);
  const nowMs = db.clock.now();
  const window = restorableWindow(table, nowMs);
  if (!window) {
    // DynamoDB's text (observed); PITR is checked before the times and the bucket.
    throw new DynamoError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${table.spec.TableName}'`);
  }
  const request: ExportRequest = {
    clientToken: clientToken ?? '',
    fingerprint: '',
    s3Bucket: s3Bucket as string,
    ...(s3BucketOwner !== undefined && { s3BucketOwner }),
    ...(s3Prefix !== undefined && { s3Prefix }),
    s3SseAlgorithm: (sse as 'AES256' | 'KMS' | undefined) ?? 'AES256',
    ...(kmsKeyId !== undefined && { s3SseKmsKeyId: kmsKeyId }),
    format: (format as 'ION' | 'DYNAMODB_JSON' | undefined) ?? 'DYNAMODB_JSON',
    type: (type as 'FULL_EXPORT' | 'INCREMENTAL_EXPORT' | undefined) ?? 'FULL_EXPORT',
    ...(type === undefined && { typeOmitted: true }),
  };
  if (spec !== undefined && type !== 'INCREMENTAL_EXPORT') {
    // DynamoDB's texts (observed).
    throw validationError(
      type === undefined
        ? 'Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided'
        : 'Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided',
    );
  }
  if (request.type === 'INCREMENTAL_EXPORT') {
    if (spec === undefined) throw validationError('Invalid Request: Incremental Export Specification expected when export type is set as Incremental Export');
    if (fromMs === undefined) throw validationError('Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification');
    // unverified: the text (DynamoDB's observed answer mixed this with the window checks below).
    if (exportMsRequested !== undefined) throw validationError('Invalid Request: ExportTime cannot be specified for an incremental export');
    const toMs = toMsRequested ?? nowMs;
    request.incremental = { fromMs, toMs, view: (view as ExportViewType | undefined) ?? 'NEW_AND_OLD_IMAGES' };
    checkIncrementalWindow(fromMs, toMs, window.earliestMs, nowMs);
  } else {
    const exportMs = exportMsRequested ?? nowMs;
    if (exportMs < window.earliestMs || exportMs > window.latestMs) throw invalidExportTime();
    request.exportMs = exportMs;
  }
  // The parameters a reused ClientToken must repeat (the export time only when given).
  request.fingerprint = JSON.stringify([table.tableArn, s3Bucket, s3BucketOwner, s3Prefix, request.s3SseAlgorithm, kmsKeyId, request.format, request.type, exportMsRequested, fromMs, toMsRequested, view]);

  const { exports } = backupServiceOf(db);
  if (clientToken !== undefined) {
    const earlier = exports.all().find((record) => record.clientToken === clientToken && (record.endMs ?? nowMs) + clientTokenLifetimeMs > nowMs);
    if (earlier) {
      if (earlier.fingerprint !== request.fingerprint) {
        // DynamoDB's text (observed).
        throw new DynamoError('ExportConflictException', 'Export conflict: Duplicate request detected with conflicting parameters');
      }
      return { ExportDescription: exportDescription(earlier) };
    }
  }
  const releaseSlot = backupServiceOf(db).exportSlots.acquire();
  const record = await exports.start(table, request, objectStoreOf(db), releaseSlot);
  return { ExportDescription: exportDescription(record) };
}

export function describeExport(input: Input, db: Database): unknown {
  const errors = new ConstraintErrors();
  const arn = optionalString(input.ExportArn);
  if (errors.notNull('exportArn', arn) && arn !== undefined) errors.length('exportArn', arn, exportArnLengthMin, exportArnLengthMax);
  errors.throwIfAny();
  checkJobArn(db, arn as string, 'export');
  const record = backupServiceOf(db).exports.get(arn as string);
  // DynamoDB's text, "Export not found" twice (observed).
  if (!record) throw new DynamoError('ExportNotFoundException', `Export not found: Export not found: ${arn}`);
  return { ExportDescription: exportDescription(record) };
}

export function listExports(input: Input, db: Database): unknown {
  const errors = new ConstraintErrors();
  const tableArn = optionalString(input.TableArn);
  if (tableArn !== undefined) errors.length('tableArn', tableArn, 1, tableArnLengthMax);
  const maxResults = optionalLong(input.MaxResults);
  if (maxResults !== undefined) {
    errors.minValue('maxResults', maxResults, 1);
    errors.maxValue('maxResults', maxResults, listExportsPageMax);
  }
  const nextToken = optionalString(input.NextToken);
  errors.throwIfAny();
  const after = nextToken === undefined ? undefined : decodeToken(nextToken);
  // Filtered by a table that no longer exists, DynamoDB lists nothing (its exports stay describable).
  if (tableArn !== undefined && !tableExistsFor(db, tableArn)) return { ExportSummaries: [] };
  const { page, more } = backupServiceOf(db).exports.newestFirst(tableArn, after, maxResults ?? listExportsPageMax);
  const result: Record<string, unknown> = {
    ExportSummaries: page.map((record) => ({ ExportArn: record.exportArn, ExportStatus: record.status, ExportType: record.type })),
  };
  if (more) result.NextToken = Buffer.from(page[page.length - 1]!.exportArn).toString('base64url');
  return result;
}

/**
 * DescribeExport/DescribeImport ARN checks, as DynamoDB answers them (observed): not an ARN, or
 * not one of a table's export (or import) → ValidationException "Invalid Export ARN"; another
 * account → AccessDeniedException "Access is denied"; another region → not found ("Invalid export
 * arn"). Another partition or service is refused like another account (unverified).
 */
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function checkJobArn(db: Database, arn: string, kind: 'export' | 'import'): void {
  const label = kind === 'export' ? 'Export' : 'Import';
  const invalid = () => validationError(`Invalid ${label} ARN`);
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw invalid();
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  // A region that is no region at all is refused like another account (ScyllaDB's suite, run on AWS).
  if (partition !== 'aws' || service !== 'dynamodb' || account !== db.accountId || !regionPattern.test(region!)) {
    throw new DynamoError('AccessDeniedException', 'Access is denied');
  }
  if (!new RegExp(`^table/[a-zA-Z0-9_.-]{3,255}/${kind}/[^/]+$`).test(resource)) throw invalid();
  if (region !== db.region) {
    // unverified for imports (the export text is observed).
    throw new DynamoError(`${label}NotFoundException`, `${label} not found: Invalid ${kind} arn`);
  }
}

/**
 * ExportTableToPointInTime's TableArn (observed): not an ARN → "tableArn is not a valid ARN";
 * another account → AccessDeniedException; an index ARN → "Table ARN is invalid."; the region is
 * not checked (the table is looked up by name in this region).
 */
function exportSourceTable(db: Database, tableArn: string) {
  const parts = tableArn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw validationError('One or more parameter values were invalid: tableArn is not a valid ARN');
  if (parts[4] !== db.accountId) throw new DynamoError('AccessDeniedException', 'Access is denied');
  const resource = parts.slice(5).join(':');
  if (!/^table\/[^/]+$/.test(resource)) throw validationError('Invalid Request: Table ARN is invalid.');
  const table = db.catalog.find(resource.slice('table/'.length));
  if (!table || table.status === 'CREATING') throw tableNotFound(tableArn);
  return table;
}

/**
 * An incremental export's window, checked in DynamoDB's order with its texts (observed): the
 * start before the recovery window, the end in the future, then the length (15 minutes to 24 hours).
 */
function checkIncrementalWindow(fromMs: number, toMs: number, earliestMs: number, nowMs: number): void {
  if (fromMs < earliestMs) {
    throw new DynamoError('InvalidExportTimeException', `Incremental export period from time cannot be less than the table creation time : ${isoSeconds(fromMs)}`);
  }
  if (toMs > nowMs) {
    throw new DynamoError('InvalidExportTimeException', `Incremental export period to time cannot be greater than the current time : ${isoSeconds(toMs)}`);
  }
  if (toMs - fromMs < incrementalWindowMsMin) {
    throw new DynamoError('InvalidExportTimeException', 'Difference between export period from time and export period to time is less than 15 minutes');
  }
  if (toMs - fromMs > incrementalWindowMsMax) {
    // unverified: the text (DynamoDB's observed answer to a 25-hour window hit the check above).
    throw new DynamoError('InvalidExportTimeException', 'Difference between export period from time and export period to time is more than 24 hours');
  }
}

function tableExistsFor(db: Database, tableArn: string): boolean {
  try {
    tableByNameOrArn(db, tableArn);
    return true;
  } catch {
    return false;
  }
}

function decodeToken(token: string): string {
  const arn = Buffer.from(token, 'base64url').toString('utf8');
  // DynamoDB's text for a token it did not hand out (observed).
  if (!arn.startsWith('arn:')) throw validationError(`Invalid Request: Provided nextToken is invalid: ${token}`);
  return arn;
}

function invalidExportTime(): DynamoError {
  // The text DynamoDB answers for an ExportTime outside the recovery window.
  return new DynamoError('InvalidExportTimeException', 'Export Time is invalid');
}

export function exportDescription(record: ExportRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ExportArn: record.exportArn,
    ExportStatus: record.status,
    StartTime: record.startMs / 1000,
  };
  if (record.status !== 'IN_PROGRESS' && record.endMs !== undefined) out.EndTime = record.endMs / 1000;
  if (record.manifestKey) out.ExportManifest = record.manifestKey;
  out.TableArn = record.tableArn;
  out.TableId = record.tableId;
  if (record.exportMs !== undefined) out.ExportTime = record.exportMs / 1000;
  if (record.clientToken !== '') out.ClientToken = record.clientToken;
  out.S3Bucket = record.s3Bucket;
  if (record.s3BucketOwner !== undefined) out.S3BucketOwner = record.s3BucketOwner;
  if (record.s3Prefix !== undefined) out.S3Prefix = record.s3Prefix;
  out.S3SseAlgorithm = record.s3SseAlgorithm;
  if (record.s3SseKmsKeyId !== undefined) out.S3SseKmsKeyId = record.s3SseKmsKeyId;
  if (record.failureCode !== undefined) {
    out.FailureCode = record.failureCode;
    out.FailureMessage = record.failureMessage;
  }
  out.ExportFormat = record.format;
  if (record.status === 'COMPLETED') {
    out.BilledSizeBytes = record.billedSizeBytes;
    out.ItemCount = record.itemCount;
  }
  // DynamoDB leaves ExportType out when the request did not set it (the default, FULL_EXPORT).
  if (!record.typeOmitted) out.ExportType = record.type;
  if (record.incremental) {
    out.IncrementalExportSpecification = {
      ExportFromTime: record.incremental.fromMs / 1000,
      ExportToTime: record.incremental.toMs / 1000,
      ExportViewType: record.incremental.view,
    };
  }
  return out;
}
