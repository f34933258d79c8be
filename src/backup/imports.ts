// ImportTable jobs: records (space 24) and the work of loading a bucket prefix into a NEW table.
// The table is created CREATING at the request (so its name is taken at once), filled through
// the normal item path (indexes, counts and change log maintained; no capacity consumed), then
// made ACTIVE. Objects are streamed (src/backup/import-formats.ts) and written in bounded batches,
// so memory does not grow with object size. Items that fail validation are skipped and counted;
// the first ones are kept in the record's error log, the way DynamoDB writes them to CloudWatch Logs.
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { TableSpec } from '../engine/table-spec.js';
import type { StoredItem } from '../engine/stored-item.js';
import type { Item, ScalarType } from '../model/attribute-value.js';
import { DynamoError } from '../model/errors.js';
import { applyItemChange } from '../engine/item-change.js';
import { eraseTable } from '../engine/erase.js';
import { importRecordKey, importRecordRange, itemKey } from '../engine/storage-keys.js';
import { ObjectStoreError, type ObjectStore } from './object-store.js';
import { decompress, readSourceStream, type CsvOptions, type InputCompression, type InputFormat } from './import-formats.js';
import { newJobId } from './export-format.js';
import { importBatchBytesMax, importBatchItemsMax, importErrorLogMax, importObjectsMax } from './transfer-limits.js';
import { JobCatalog } from './job-catalog.js';

export type ImportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** One kept error, in the shape DynamoDB writes to its /aws-dynamodb/imports log group. */
export interface ImportErrorEntry {
  itemS3Pointer: { bucket: string; key: string; itemIndex: number };
  importArn: string;
  errorMessages: string[];
}

export interface ImportRecord {
  importArn: string;
  importId: string;
  status: ImportStatus;
  tableArn: string;
  tableId: string;
  tableName: string;
  clientToken: string;
  fingerprint: string;
  source: { S3Bucket: string; S3KeyPrefix?: string; S3BucketOwner?: string };
  inputFormat: InputFormat;
  csv?: CsvOptions;
  compression: InputCompression;
  /** TableCreationParameters as the request gave them (echoed by DescribeImport). */
  tableCreationParameters: Record<string, unknown>;
  startMs: number;
  endMs?: number;
  processedSizeBytes: number;
  processedItemCount: number;
  importedItemCount: number;
  errorCount: number;
  /** The first importErrorLogMax errors. */
  errors: ImportErrorEntry[];
  failureCode?: string;
  failureMessage?: string;
}

export type ImportRequest = Pick<ImportRecord, 'clientToken' | 'fingerprint' | 'source' | 'inputFormat' | 'csv' | 'compression' | 'tableCreationParameters'>;

/** Checks one raw item for the new table (DynamoDB's PutItem rules); throws a DynamoError. */
export type ItemValidator = (raw: unknown, table: TableRecord) => { item: Item; sizeBytes: number };

const itemValidationFailure = {
  failureCode: 'ItemValidationError',
  failureMessage: 'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.',
};

export class ImportCatalog extends JobCatalog<ImportRecord> {
  constructor(db: Database) {
    super(db, { range: importRecordRange, arnOf: (record) => record.importArn, keyOf: importRecordKey });
  }

  /** Imports a restart cut short are FAILED; their tables keep what was imported and turn ACTIVE. */
  recover(): void {
    for (const record of this.records.values()) {
      if (record.status !== 'IN_PROGRESS') continue;
      this.db.runInBackground(`failing interrupted import ${record.importArn}`, async () => {
        const table = this.db.catalog.find(record.tableName);
        if (table && table.tableId === record.tableId && table.status === 'CREATING') {
          table.status = 'ACTIVE';
          await this.db.catalog.save(table);
        }
        await this.finish(record, { status: 'FAILED', failureCode: 'InternalError', failureMessage: 'The import was interrupted by a server restart' });
      });
    }
  }

  /**
   * Creates the table (CREATING), records the import and starts it. `release` gives back the
   * import's slot (src/backup/job-slots.ts) when the job ends, or at once if it cannot start.
   */
  async start(spec: TableSpec, request: ImportRequest, store: ObjectStore, validate: ItemValidator, release: () => void): Promise<ImportRecord> {
    const db = this.db;
    const startMs = db.clock.now();
    let table: TableRecord;
    let record: ImportRecord;
    try {
      try {
        table = await db.catalog.create(spec, startMs, { status: 'CREATING' });
      } catch (error) {
        // A name taken between the request's check and the create.
        if (error instanceof DynamoError && error.name === 'ResourceInUseException') throw tableExists(spec.TableName);
        throw error;
      }
      const importId = newJobId(startMs);
      record = {
        ...request,
        importArn: `${table.tableArn}/import/${importId}`,
        importId,
        status: 'IN_PROGRESS',
        tableArn: table.tableArn,
        tableId: table.tableId,
        tableName: spec.TableName,
        startMs,
        processedSizeBytes: 0,
        processedItemCount: 0,
        importedItemCount: 0,
        errorCount: 0,
        errors: [],
      };
      await this.save(record);
    } catch (error) {
      release();
      throw error;
    }
    db.runInBackground(`import ${record.importArn}`, () => this.run(table, record, store, validate).finally(release));
    return record;
  }

  private async run(table: TableRecord, record: ImportRecord, store: ObjectStore, validate: ItemValidator): Promise<void> {
    const db = this.db;
    const live = () => db.catalog.find(table.spec.TableName) === table;
    let objects;
    try {
      objects = await store.list(record.source.S3Bucket, record.source.S3KeyPrefix ?? '', record.source.S3BucketOwner);
      if (objects.length > importObjectsMax) {
        throw new ObjectStoreError('S3Error', `The prefix holds ${objects.length} objects; an import reads at most ${importObjectsMax}`);
      }
    } catch (error) {
      // Nothing was imported: the table is not kept (DynamoDB does not create it in this case).
      if (live()) {
        await db.catalog.remove(table);
        await eraseTable(db.store, table.tableNumber);
      }
      await this.finish(record, failureOf(error, db, record));
      return;
    }
    const keyTypes = keyTypesOf(table);
    try {
      for (const object of objects) {
        if (!live()) break;
        await this.importObject(table, record, store, object.key, keyTypes, validate, live);
      }
    } catch (error) {
      await this.finish(record, failureOf(error, db, record));
      if (live()) await this.activate(table);
      return;
    }
    if (!live()) {
      await this.finish(record, { status: 'FAILED', failureCode: 'InternalError', failureMessage: 'The table was deleted while the import was in progress' });
      return;
    }
    await this.activate(table);
    await this.finish(record, record.errorCount > 0 ? { status: 'FAILED', ...itemValidationFailure } : { status: 'COMPLETED' });
  }

  /**
   * Streams one object into the table: records are read as the bytes arrive and written in
   * batches of at most importBatchItemsMax items and importBatchBytesMax bytes, so memory stays
   * bounded whatever the object size. Every record read counts in ProcessedItemCount; each is
   * either imported or an error.
   */
  private async importObject(
    table: TableRecord,
    record: ImportRecord,
    store: ObjectStore,
    key: string,
    keyTypes: Map<string, ScalarType>,
    validate: ItemValidator,
    live: () => boolean,
  ): Promise<void> {
    const bucket = record.source.S3Bucket;
    let body: AsyncIterable<Buffer>;
    try {
      body = await store.open(bucket, key, record.source.S3BucketOwner);
    } catch (error) {
      if (!(error instanceof ObjectStoreError) || error.failureCode !== 'S3NoSuchKey') throw error;
      // An object gone since the listing is one error (unverified: how DynamoDB counts it).
      record.processedItemCount++;
      this.addError(record, key, 0, error.message);
      return;
    }
    let batch: [Buffer, Item, number][] = [];
    let batchBytes = 0;
    const pendingKeys = new Set<string>();
    const flush = async () => {
      const pending = batch;
      batch = [];
      batchBytes = 0;
      pendingKeys.clear();
      if (pending.length === 0) return;
      await this.db.store.transact((tx) => {
        if (!live()) return;
        for (const [storageKey, item, size] of pending) {
          const before = tx.get(storageKey) as StoredItem | undefined;
          applyItemChange(tx, this.db.catalog, table, storageKey, before, item, size);
        }
      });
      record.importedItemCount += pending.length;
    };
    const chunks = countBytes(decompress(body, record.compression), (bytes) => (record.processedSizeBytes += bytes));
    for await (const source of readSourceStream(chunks, record.inputFormat, keyTypes, record.csv)) {
      if (!live()) break;
      record.processedItemCount++;
      if ('error' in source) {
        this.addError(record, key, source.index, source.error);
        continue;
      }
      let checked;
      try {
        checked = validate(source.item, table);
      } catch (error) {
        if (!(error instanceof DynamoError)) throw error;
        this.addError(record, key, source.index, error.message);
        continue;
      }
      const storageKey = itemKey(table.tableNumber, table.spec.keySchema, checked.item);
      // A key twice in one batch: write the first before the second (later items overwrite earlier ones).
      const id = storageKey.toString('latin1');
      if (pendingKeys.has(id)) await flush();
      pendingKeys.add(id);
      batch.push([storageKey, checked.item, checked.sizeBytes]);
      batchBytes += checked.sizeBytes;
      if (batch.length >= importBatchItemsMax || batchBytes >= importBatchBytesMax) await flush();
    }
    await flush();
  }

  private addError(record: ImportRecord, key: string, itemIndex: number, message: string): void {
    record.errorCount++;
    if (record.errors.length < importErrorLogMax) {
      record.errors.push({ itemS3Pointer: { bucket: record.source.S3Bucket, key, itemIndex }, importArn: record.importArn, errorMessages: [message] });
    }
  }

  private async activate(table: TableRecord): Promise<void> {
    table.status = 'ACTIVE';
    await this.db.catalog.save(table);
  }
}

export function tableExists(tableName: string): DynamoError {
  // The text DynamoDB's import guide shows for an existing target table.
  return new DynamoError('ResourceInUseException', `Table already exists: ${tableName}`);
}

/** Declared types of every key attribute of the table and its indexes. */
function keyTypesOf(table: TableRecord): Map<string, ScalarType> {
  return new Map(table.spec.AttributeDefinitions.map((definition) => [definition.AttributeName, definition.AttributeType]));
}

function failureOf(error: unknown, db: Database, record: ImportRecord): Partial<ImportRecord> {
  if (error instanceof ObjectStoreError) return { status: 'FAILED', failureCode: error.failureCode, failureMessage: error.message };
  db.log(`import ${record.importArn} failed: ${error instanceof Error ? error.stack : String(error)}`);
  return { status: 'FAILED', failureCode: 'InternalError', failureMessage: 'The import failed because of an internal error' };
}

/** Passes chunks through, reporting each one's size (ProcessedSizeBytes counts decompressed bytes). */
async function* countBytes(chunks: AsyncIterable<Buffer>, count: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    count(chunk.length);
    yield chunk;
  }
}
