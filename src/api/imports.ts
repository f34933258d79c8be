// ImportTable, DescribeImport and ListImports: loading CSV, DynamoDB JSON or Ion objects (GZIP,
// ZSTD or uncompressed) from a bucket prefix into a NEW table (src/backup/imports.ts). Items are
// checked by PutItem's rules; the ones that fail are counted, logged and skipped.
import type { Database } from '../engine/database.js';
import { backupServiceOf, objectStoreOf, tableExists, type ImportRecord, type ImportRequest, type ItemValidator } from '../backup/index.js';
import { DynamoError, validationError } from '../model/errors.js';
import { tableArnLengthMax } from '../model/limits.js';
import { checkItem } from '../model/values.js';
import { itemSize } from '../model/item-size.js';
import { checkItemKeys } from '../model/keys.js';
import { clientTokenLifetimeMs, listImportsPageMax } from '../backup/index.js';
import { ConstraintErrors, optionalList, optionalLong, optionalString, optionalStructure } from './validate/common.js';
import { checkCreateTable } from './validate/table.js';
import { checkIndexKeys, checkItemSize } from './item-support.js';
import { checkJobArn, collectBucketErrors, collectClientTokenErrors } from './exports.js';

type Input = Record<string, unknown>;

// Enum orders unverified (the botocore model's order).
const inputFormats = ['DYNAMODB_JSON', 'ION', 'CSV'] as const;
const compressions = ['GZIP', 'ZSTD', 'NONE'] as const;
const delimiterPattern = /^[,;:|\t ]$/;
const delimiterPatternText = '[,;:|\\t ]';
const headerPattern = /^[\x20-\x21\x23-\x2B\x2D-\x7E]*$/;
const headerPatternText = '[\\x20-\\x21\\x23-\\x2B\\x2D-\\x7E]*';
const headerListLengthMax = 255;
const headerLengthMax = 65536;
const importArnLengthMin = 37;
const importArnLengthMax = 1024;
/** ListImports NextToken: ([0-9a-f]{16})+, 112..1024 characters (botocore model). */
const importTokenLengthMin = 112;
/** The members of TableCreationParameters (LSIs cannot be created by an import). */
const creationMembers = ['TableName', 'AttributeDefinitions', 'KeySchema', 'BillingMode', 'ProvisionedThroughput', 'OnDemandThroughput', 'SSESpecification', 'GlobalSecondaryIndexes'];

/** PutItem's rules for an imported item. */
const validateItem: ItemValidator = (raw, table) => {
  const item = checkItem(raw);
  // An empty top-level attribute name is an item DynamoDB does not import (an ItemValidationError).
  // unverified: the text.
  if (Object.hasOwn(item, '')) throw validationError('One or more parameter values were invalid: An attribute name cannot be empty');
  const sizeBytes = itemSize(item);
  checkItemSize(sizeBytes);
  checkItemKeys(item, table.spec.keySchema);
  checkIndexKeys(item, table);
  return { item, sizeBytes };
};

export async function importTable(input: Input, db: Database): Promise<unknown> {
  const errors = new ConstraintErrors();
  // ClientToken is documented as optional, yet DynamoDB refuses an ImportTable without one
  // (SDKs fill it in); unverified: the text (the model's "must not be null" form).
  errors.notNull('clientToken', input.ClientToken);
  const clientToken = collectClientTokenErrors(errors, input.ClientToken);
  const source = optionalStructure(input.S3BucketSource);
  let bucket: ReturnType<typeof collectBucketErrors> | undefined;
  if (errors.notNull('s3BucketSource', source) && source) {
    bucket = collectBucketErrors(errors, source.S3Bucket, source.S3BucketOwner, source.S3KeyPrefix, {
      bucket: 's3BucketSource.s3Bucket',
      owner: 's3BucketSource.s3BucketOwner',
      prefix: 's3BucketSource.s3KeyPrefix',
    });
  }
  const format = optionalString(input.InputFormat);
  if (errors.notNull('inputFormat', format)) errors.enumOf('inputFormat', format, inputFormats);
  const compression = optionalString(input.InputCompressionType);
  if (compression !== undefined) errors.enumOf('inputCompressionType', compression, compressions);
  const csv = optionalStructure(optionalStructure(input.InputFormatOptions)?.Csv);
  const delimiter = optionalString(csv?.Delimiter);
  if (delimiter !== undefined) {
    errors.length('inputFormatOptions.csv.delimiter', delimiter, 1, 1);
    errors.pattern('inputFormatOptions.csv.delimiter', delimiter, delimiterPattern, delimiterPatternText);
  }
  const headerList = optionalList(csv?.HeaderList);
  if (headerList !== undefined) {
    errors.length('inputFormatOptions.csv.headerList', headerList, 1, headerListLengthMax);
    headerList.forEach((header, index) => {
      const path = `inputFormatOptions.csv.headerList.${index + 1}.member`;
      const text = optionalString(header);
      if (errors.notNull(path, text) && text !== undefined) {
        errors.length(path, text, 1, headerLengthMax);
        errors.pattern(path, text, headerPattern, headerPatternText);
      }
    });
  }
  const parameters = optionalStructure(input.TableCreationParameters);
  errors.notNull('tableCreationParameters', parameters);
  errors.throwIfAny();
  // CSV options with another input format: DynamoDB's text (observed).
  if (input.InputFormatOptions !== undefined && format !== 'CSV') {
    throw validationError(`Invalid Request: Unsupported InputFormatOptions for the given input format: ${format as string}.`);
  }

  const creation: Input = {};
  for (const member of creationMembers) if (parameters![member] !== undefined) creation[member] = parameters![member];
  const spec = checkCreateTable(creation);
  const request: ImportRequest = {
    clientToken: clientToken ?? '',
    // A reused ClientToken is compared on the target table only: DynamoDB answers a replay that
    // changes the bucket, prefix, format or compression with the original import.
    fingerprint: JSON.stringify([spec.TableName]),
    source: {
      S3Bucket: bucket!.s3Bucket as string,
      ...(bucket!.s3Prefix !== undefined && { S3KeyPrefix: bucket!.s3Prefix }),
      ...(bucket!.s3BucketOwner !== undefined && { S3BucketOwner: bucket!.s3BucketOwner }),
    },
    inputFormat: format as ImportRequest['inputFormat'],
    ...(format === 'CSV' && csv && { csv: { ...(delimiter !== undefined && { delimiter }), ...(headerList !== undefined && { headerList: headerList as string[] }) } }),
    compression: (compression as ImportRequest['compression'] | undefined) ?? 'NONE',
    tableCreationParameters: creation,
  };

  const { imports } = backupServiceOf(db);
  const nowMs = db.clock.now();
  const earlier =
    clientToken === undefined ? undefined : imports.all().find((record) => record.clientToken === clientToken && (record.endMs ?? nowMs) + clientTokenLifetimeMs > nowMs);
  // Once an import has ended its table exists, and a replay is refused on that ground before the
  // token is consulted; while it runs, the token decides.
  if (db.catalog.has(spec.TableName) && earlier?.status !== 'IN_PROGRESS') throw tableExists(spec.TableName);
  if (earlier) {
    if (earlier.tableName !== spec.TableName) {
      // DynamoDB's text (observed).
      throw new DynamoError('ImportConflictException', 'Import conflict: Duplicate request detected with conflicting parameters');
    }
    return { ImportTableDescription: importDescription(earlier, db) };
  }
  const releaseSlot = backupServiceOf(db).importSlots.acquire();
  const record = await imports.start(spec, request, objectStoreOf(db), validateItem, releaseSlot);
  return { ImportTableDescription: importDescription(record, db) };
}

export function describeImport(input: Input, db: Database): unknown {
  const errors = new ConstraintErrors();
  const arn = optionalString(input.ImportArn);
  if (errors.notNull('importArn', arn) && arn !== undefined) errors.length('importArn', arn, importArnLengthMin, importArnLengthMax);
  errors.throwIfAny();
  checkJobArn(db, arn as string, 'import');
  const record = backupServiceOf(db).imports.get(arn as string);
  // unverified: the text (DescribeExport's, observed, says "Export not found" twice).
  if (!record) throw new DynamoError('ImportNotFoundException', `Import not found: Import not found: ${arn}`);
  return { ImportTableDescription: importDescription(record, db) };
}

export function listImports(input: Input, db: Database): unknown {
  const errors = new ConstraintErrors();
  const tableArn = optionalString(input.TableArn);
  if (tableArn !== undefined) errors.length('tableArn', tableArn, 1, tableArnLengthMax);
  const pageSize = optionalLong(input.PageSize);
  if (pageSize !== undefined) {
    errors.minValue('pageSize', pageSize, 1);
    errors.maxValue('pageSize', pageSize, listImportsPageMax);
  }
  const nextToken = optionalString(input.NextToken);
  if (nextToken !== undefined) {
    errors.length('nextToken', nextToken, importTokenLengthMin, 1024);
    errors.pattern('nextToken', nextToken, /^([0-9a-f]{16})+$/, '([0-9a-f]{16})+');
  }
  errors.throwIfAny();
  const after = nextToken === undefined ? undefined : Buffer.from(nextToken, 'hex').toString('utf8').replace(/\0+$/, '');
  // A token of the right shape that this server did not hand out: DynamoDB's text (observed).
  if (after !== undefined && !after.startsWith('arn:')) throw validationError(`Invalid Request: Provided nextToken is invalid: ${nextToken}`);
  const { page, more } = backupServiceOf(db).imports.newestFirst(tableArn, after, pageSize ?? listImportsPageMax);
  const result: Record<string, unknown> = {
    ImportSummaryList: page.map((record) => ({
      ImportArn: record.importArn,
      ImportStatus: record.status,
      TableArn: record.tableArn,
      S3BucketSource: record.source,
      CloudWatchLogGroupArn: logGroupArn(db),
      InputFormat: record.inputFormat,
      StartTime: record.startMs / 1000,
      ...(record.status !== 'IN_PROGRESS' && record.endMs !== undefined && { EndTime: record.endMs / 1000 }),
    })),
  };
  if (more) result.NextToken = importToken(page[page.length - 1]!.importArn);
  return result;
}

/** An ARN as a token of the pattern ([0-9a-f]{16})+ and at least 112 characters (zero-padded). */
function importToken(arn: string): string {
  let hex = Buffer.from(arn, 'utf8').toString('hex');
  const length = Math.max(importTokenLengthMin, Math.ceil(hex.length / 16) * 16);
  hex = hex.padEnd(length, '0');
  if (hex.length > 1024) throw validationError('The import ARN is too long to page past');
  return hex;
}

/** The log group DynamoDB names for import errors; here the errors live in the import's record. */
function logGroupArn(db: Database): string {
  return `arn:aws:logs:${db.region}:${db.accountId}:log-group:/aws-dynamodb/imports:*`;
}

export function importDescription(record: ImportRecord, db: Database): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ImportArn: record.importArn,
    ImportStatus: record.status,
    TableArn: record.tableArn,
    TableId: record.tableId,
  };
  if (record.clientToken !== '') out.ClientToken = record.clientToken;
  out.S3BucketSource = record.source;
  out.ErrorCount = record.errorCount;
  out.CloudWatchLogGroupArn = logGroupArn(db);
  out.InputFormat = record.inputFormat;
  if (record.csv) {
    out.InputFormatOptions = {
      Csv: { ...(record.csv.delimiter !== undefined && { Delimiter: record.csv.delimiter }), ...(record.csv.headerList && { HeaderList: record.csv.headerList }) },
    };
  }
  out.InputCompressionType = record.compression;
  out.TableCreationParameters = record.tableCreationParameters;
  out.StartTime = record.startMs / 1000;
  if (record.status !== 'IN_PROGRESS' && record.endMs !== undefined) out.EndTime = record.endMs / 1000;
  // DynamoDB reports the processed size and count only once the import has ended.
  const ended = record.status !== 'IN_PROGRESS';
  if (ended) out.ProcessedSizeBytes = record.processedSizeBytes;
  out.ProcessedItemCount = ended ? record.processedItemCount : 0;
  out.ImportedItemCount = record.importedItemCount;
  if (record.failureCode !== undefined) {
    out.FailureCode = record.failureCode;
    out.FailureMessage = record.failureMessage;
  }
  return out;
}

/** The kept error log of an import (the first errors, in DynamoDB's CloudWatch entry shape). */
export function importErrorLog(db: Database, importArn: string): ImportRecord['errors'] | undefined {
  return backupServiceOf(db).imports.get(importArn)?.errors;
}
