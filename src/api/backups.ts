// On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup and
// RestoreTableFromBackup. Backups are consistent snapshots taken without blocking writes
// (src/backup/snapshot.ts) and outlive their source table.
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { TableSpec } from '../engine/table-spec.js';
import { backupServiceOf, copyRange, restoreIntoNewTable, tableAlreadyExists, type BackupRecord } from '../backup/index.js';
import { backupItemsRange } from '../engine/storage-keys.js';
import { DynamoError, validationError } from '../model/errors.js';
import { backupArnLengthMax, backupArnLengthMin, backupNameLengthMax, backupNameLengthMin, listBackupsLimitMax, tableArnLengthMax } from '../model/limits.js';
import { ConstraintErrors, collectTableNameErrors, namePatternText, optionalLong, optionalString, parseResourceArn } from './validate/common.js';
import { keySchemaOut, tableDescription } from './table-description.js';
import { restoredTableSpec } from './restore-spec.js';

type Input = Record<string, unknown>;

const namePattern = /^[a-zA-Z0-9_.-]+$/;
const billingModes = ['PROVISIONED', 'PAY_PER_REQUEST'] as const;
const backupTypeFilters = ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] as const;
/**
 * How long CreateBackup and the restores wait for a small copy to finish before answering
 * CREATING (DynamoDB always answers CREATING; finishing early only saves clients a poll).
 */
export const copySettleWaitMs = 1000;

export async function createBackup(input: Input, db: Database): Promise<unknown> {
  const errors = new ConstraintErrors();
  const tableName = collectTableArnErrors(errors, input.TableName, 'tableName');
  const backupName = optionalString(input.BackupName);
  if (errors.notNull('backupName', backupName) && backupName !== undefined) {
    errors.length('backupName', backupName, backupNameLengthMin, backupNameLengthMax);
    errors.pattern('backupName', backupName, namePattern, namePatternText);
  }
  errors.throwIfAny();
  const table = tableByNameOrArn(db, tableName as string);
  // DynamoDB answers a table still being created (here: restored or imported) as a missing one (observed).
  if (table.status === 'CREATING') throw tableNotFound(tableName as string);
  const { backups } = backupServiceOf(db);
  const { record, done } = await backups.create(table, backupName as string);
  await settle(db, `backing up ${table.spec.TableName}`, done);
  return { BackupDetails: backupDetails(record) };
}

export function describeBackup(input: Input, db: Database): unknown {
  const record = backupByArn(db, checkBackupArn(db, input.BackupArn));
  return { BackupDescription: backupDescription(record) };
}

export async function deleteBackup(input: Input, db: Database): Promise<unknown> {
  const record = backupByArn(db, checkBackupArn(db, input.BackupArn));
  const { backups } = backupServiceOf(db);
  if (record.BackupType === 'SYSTEM') {
    // DynamoDB's text (observed); unverified: how it formats the expiry time.
    throw validationError(
      `Invalid Request: User is not allowed to delete the system backup with arn ${record.BackupArn}. It will automatically expire on ${new Date(record.expiresAtMs as number).toISOString()}`,
    );
  }
  if (backups.restoring(record)) throw new DynamoError('BackupInUseException', `Backup is being used to restore table: ${record.BackupArn}`);
  if (backups.creating(record)) throw backupBeingCreated(record.BackupArn);
  await backups.delete(record);
  return { BackupDescription: backupDescription(record) };
}

export function listBackups(input: Input, db: Database): unknown {
  const errors = new ConstraintErrors();
  const limit = optionalLong(input.Limit);
  if (limit !== undefined) {
    errors.minValue('limit', limit, 1);
    errors.maxValue('limit', limit, listBackupsLimitMax);
  }
  const tableName = input.TableName === undefined || input.TableName === null ? undefined : collectTableArnErrors(errors, input.TableName, 'tableName');
  const start = optionalString(input.ExclusiveStartBackupArn);
  if (start !== undefined) errors.length('exclusiveStartBackupArn', start, backupArnLengthMin, backupArnLengthMax);
  const type = optionalString(input.BackupType);
  if (type !== undefined) errors.enumOf('backupType', type, backupTypeFilters);
  const lower = optionalTimestamp(input.TimeRangeLowerBound);
  const upper = optionalTimestamp(input.TimeRangeUpperBound);
  errors.throwIfAny();
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw validationError('One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound');
  }

  // The default is USER (API reference: "The default setting if no other backup types are
  // specified"); ALL is USER and SYSTEM; AWS_BACKUP backups are never made here.
  const sourceName = tableName === undefined ? undefined : tableName.startsWith('arn:') ? parseResourceArn(tableName).tableName : tableName;
  const startAfter = start === undefined ? undefined : { ms: backupArnMs(db, start), arn: start };
  const matching = backupServiceOf(db)
    .backups.list()
    .filter((record) => sourceName === undefined || record.source.tableName === sourceName)
    .filter((record) => (type === 'ALL' ? true : record.BackupType === (type ?? 'USER')))
    // TimeRangeLowerBound is inclusive, TimeRangeUpperBound exclusive (DynamoDB API reference).
    .filter((record) => lower === undefined || record.createdAtMs >= lower)
    .filter((record) => upper === undefined || record.createdAtMs < upper)
    .filter((record) => !startAfter || record.createdAtMs > startAfter.ms || (record.createdAtMs === startAfter.ms && record.BackupArn > startAfter.arn));
  const pageSize = limit ?? listBackupsLimitMax;
  const page = matching.slice(0, pageSize);
  const result: Record<string, unknown> = { BackupSummaries: page.map(backupSummary) };
  if (matching.length > pageSize) result.LastEvaluatedBackupArn = page[page.length - 1]!.BackupArn;
  return result;
}

export async function restoreTableFromBackup(input: Input, db: Database): Promise<unknown> {
  const errors = new ConstraintErrors();
  const targetName = collectTableNameErrors(errors, input.TargetTableName, 'targetTableName');
  const arn = optionalString(input.BackupArn);
  if (errors.notNull('backupArn', arn) && arn !== undefined) errors.length('backupArn', arn, backupArnLengthMin, backupArnLengthMax);
  const billing = optionalString(input.BillingModeOverride);
  if (billing !== undefined) errors.enumOf('billingModeOverride', billing, billingModes);
  errors.throwIfAny();
  const service = backupServiceOf(db);
  const { backups } = service;
  const record = backupByArn(db, checkBackupArn(db, arn));
  if (backups.creating(record)) throw backupBeingCreated(record.BackupArn);
  // One restore at a time per backup (DynamoDB's text, observed).
  if (backups.restoring(record)) throw new DynamoError('BackupInUseException', `Backup is being used to restore another table: ${record.BackupArn}`);
  if (db.catalog.has(targetName as string)) throw tableAlreadyExists(targetName as string);
  const spec = restoredTableSpec(record.source.spec, targetName as string, input);
  const releaseSlot = service.restoreSlots.acquire();
  const releaseRead = backups.read(record);
  return restoreAndDescribe(
    db,
    spec,
    { SourceBackupArn: record.BackupArn, SourceTableArn: record.source.tableArn, RestoreDateTime: record.createdAtMs / 1000 },
    (sink) => copyRange(db, backupItemsRange(record.backupNumber).start, sink),
    () => {
      releaseRead();
      releaseSlot();
    },
    'from a backup',
  );
}

// ---- shapes -------------------------------------------------------------------------------

function backupDetails(record: BackupRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {
    BackupArn: record.BackupArn,
    BackupName: record.BackupName,
    BackupStatus: record.BackupStatus,
    BackupType: record.BackupType,
    BackupCreationDateTime: record.createdAtMs / 1000,
  };
  if (record.expiresAtMs !== undefined) details.BackupExpiryDateTime = record.expiresAtMs / 1000;
  // The size is known once the copy is done.
  if (record.BackupStatus !== 'CREATING') details.BackupSizeBytes = record.sizeBytes;
  return details;
}

function backupSummary(record: BackupRecord): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    TableName: record.source.tableName,
    TableId: record.source.tableId,
    TableArn: record.source.tableArn,
    BackupArn: record.BackupArn,
    BackupName: record.BackupName,
    BackupCreationDateTime: record.createdAtMs / 1000,
    BackupStatus: record.BackupStatus,
    BackupType: record.BackupType,
  };
  if (record.expiresAtMs !== undefined) summary.BackupExpiryDateTime = record.expiresAtMs / 1000;
  if (record.BackupStatus !== 'CREATING') summary.BackupSizeBytes = record.sizeBytes;
  return summary;
}

export function backupDescription(record: BackupRecord): Record<string, unknown> {
  const { spec } = record.source;
  const sourceDetails: Record<string, unknown> = {
    TableName: record.source.tableName,
    TableId: record.source.tableId,
    TableArn: record.source.tableArn,
    TableSizeBytes: record.sizeBytes,
    KeySchema: keySchemaOut(spec.keySchema),
    TableCreationDateTime: record.source.createdAt,
    ProvisionedThroughput: {
      ReadCapacityUnits: spec.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: spec.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
    },
    ItemCount: record.itemCount,
    BillingMode: spec.BillingMode,
  };
  if (spec.OnDemandThroughput) sourceDetails.OnDemandThroughput = spec.OnDemandThroughput;
  const features: Record<string, unknown> = {};
  // A SYSTEM backup describes no feature details (observed: SourceTableFeatureDetails {}).
  if (record.BackupType === 'SYSTEM') return { BackupDetails: backupDetails(record), SourceTableDetails: sourceDetails, SourceTableFeatureDetails: features };
  if (spec.LocalSecondaryIndexes.length > 0) {
    features.LocalSecondaryIndexes = spec.LocalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: keySchemaOut(index.keySchema),
      Projection: index.Projection,
    }));
  }
  if (spec.GlobalSecondaryIndexes.length > 0) {
    features.GlobalSecondaryIndexes = spec.GlobalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: keySchemaOut(index.keySchema),
      Projection: index.Projection,
      ProvisionedThroughput: {
        ReadCapacityUnits: index.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
        WriteCapacityUnits: index.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
      },
      ...(index.OnDemandThroughput && { OnDemandThroughput: index.OnDemandThroughput }),
    }));
  }
  if (spec.StreamSpecification?.StreamEnabled) features.StreamDescription = spec.StreamSpecification;
  const ttl = record.source.timeToLive;
  if (ttl) features.TimeToLiveDescription = ttl.Enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.AttributeName } : { TimeToLiveStatus: 'DISABLED' };
  if (spec.SSESpecification?.Enabled) features.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS' };
  return { BackupDetails: backupDetails(record), SourceTableDetails: sourceDetails, SourceTableFeatureDetails: features };
}

// ---- checks and errors ----------------------------------------------------------------------

/** A TableArn-shaped member (a name or an ARN, 1..1024 characters). */
export function collectTableArnErrors(errors: ConstraintErrors, value: unknown, path: string): string | undefined {
  const name = optionalString(value);
  if (!errors.notNull(path, name) || name === undefined) return undefined;
  errors.length(path, name, 1, tableArnLengthMax);
  return name;
}

/** The table named (or ARN'd) by a backup operation, or DynamoDB's TableNotFoundException. */
export function tableByNameOrArn(db: Database, nameOrArn: string): TableRecord {
  let name = nameOrArn;
  if (nameOrArn.startsWith('arn:')) {
    const arn = parseResourceArn(nameOrArn);
    name = arn.region === db.region && arn.account === db.accountId && arn.resourceType === 'table' ? arn.tableName : '';
  }
  const table = db.catalog.find(name);
  if (!table) throw tableNotFound(nameOrArn);
  return table;
}

export function tableNotFound(nameOrArn: string): DynamoError {
  return new DynamoError('TableNotFoundException', `Table not found: ${nameOrArn}`);
}

/**
 * A BackupArn, checked as DynamoDB does (observed): length first; then not an ARN of a table's
 * backup → "Invalid Backup ARN"; another partition or service → "BackupArn is not valid";
 * another account → AccessDeniedException. The region is not checked: DynamoDB looks the backup
 * up in the endpoint's region whatever the ARN says.
 */
function checkBackupArn(db: Database, value: unknown): string {
  const errors = new ConstraintErrors();
  const arn = optionalString(value);
  if (errors.notNull('backupArn', arn) && arn !== undefined) errors.length('backupArn', arn, backupArnLengthMin, backupArnLengthMax);
  errors.throwIfAny();
  const parts = (arn as string).split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw validationError('Invalid Backup ARN');
  const [, partition, service, region, account] = parts;
  if (partition !== 'aws' || service !== 'dynamodb') throw validationError('Invalid Request: BackupArn is not valid');
  if (region === '' || account !== db.accountId) throw new DynamoError('AccessDeniedException', 'Access is denied');
  const resource = parts.slice(5).join(':');
  if (!/^table\/[^/]+\/backup\/[^/]+$/.test(resource)) throw validationError('Invalid Backup ARN');
  return `arn:${partition}:${service}:${db.region}:${account}:${resource}`;
}

function backupByArn(db: Database, arn: string): BackupRecord {
  const record = backupServiceOf(db).backups.get(arn);
  if (!record) throw new DynamoError('BackupNotFoundException', `Backup not found: ${arn}`);
  return record;
}

// unverified: the text for a backup still being created (the exception is the one DynamoDB
// documents for a backup that is being created, deleted or restored).
function backupBeingCreated(arn: string): DynamoError {
  return new DynamoError('BackupInUseException', `Backup is being created: ${arn}`);
}

/** The creation ms a backup ARN carries (`.../backup/<epoch ms>-<8 hex>`), for paging past deleted backups. */
function backupArnMs(db: Database, arn: string): number {
  const known = backupServiceOf(db).backups.get(arn);
  if (known) return known.createdAtMs;
  const match = /\/backup\/(\d+)-[0-9a-f]+$/.exec(arn);
  return match ? Number(match[1]) : -1;
}

/** A timestamp member: epoch seconds on the wire; returned in ms. */
export function optionalTimestamp(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new DynamoError('SerializationException', `class ${typeof value === 'string' ? 'java.lang.String' : 'java.lang.Object'} can not be converted to an Date`);
  }
  return Math.round(seconds * 1000);
}

/**
 * Both restores: fills a new table in the background, holding what `release` gives back (a
 * restore slot, a backup read or a change-log pin) until the copy ends or fails to start, and
 * answers the new table's description.
 */
export async function restoreAndDescribe(
  db: Database,
  spec: TableSpec,
  summary: Parameters<typeof restoreIntoNewTable>[2],
  fill: Parameters<typeof restoreIntoNewTable>[3],
  release: () => void,
  source: string,
): Promise<unknown> {
  let restore;
  try {
    restore = await restoreIntoNewTable(db, spec, summary, fill);
  } catch (error) {
    release();
    throw error;
  }
  await settle(db, `restoring ${spec.TableName} ${source}`, restore.done.finally(release));
  return { TableDescription: tableDescription(restore.table, db.catalog) };
}

/** Tracks a copy as background work and waits a little for it, so small copies answer finished. */
export async function settle(db: Database, what: string, done: Promise<void>): Promise<void> {
  db.runInBackground(what, () => done);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done.then(noop, noop), new Promise<void>((resolve) => (timer = setTimeout(resolve, copySettleWaitMs)))]);
  clearTimeout(timer);
}

function noop(): void {}
