// ExportTableToPointInTime jobs: records (space 23) and the work of writing a table, as it was at
// one instant or as it changed over a window, to a bucket in DynamoDB's export layout
// (src/backup/export-format.ts). Exports read MVCC snapshots and the change log: they consume no
// capacity and never block writers.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import type { StoredItem } from '../engine/stored-item.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { baseIndexNumber, exportRecordKey, exportRecordRange, indexPrefix, itemKeySuffixOffset, prefixEnd } from '../engine/storage-keys.js';
import { readChanges, endOfMs, type LogPosition } from './change-log.js';
import type { RetentionPins } from './retention.js';
import { ObjectStoreError, type ObjectStore } from './object-store.js';
import {
  dataFileName,
  exportFolder,
  fullExportLine,
  incrementalExportLine,
  manifestFilesText,
  manifestSummaryText,
  newJobId,
  type DataFileEntry,
  type ExportFormat,
  type ExportViewType,
  type IncrementalRecord,
} from './export-format.js';
import { exportFileBytesMax } from './transfer-limits.js';
import { JobCatalog } from './job-catalog.js';

const gzipAsync = promisify(gzip);

export type ExportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** What the store keeps per export; times in ms. */
export interface ExportRecord {
  exportArn: string;
  exportId: string;
  status: ExportStatus;
  startMs: number;
  endMs?: number;
  tableArn: string;
  tableId: string;
  tableName: string;
  clientToken: string;
  /** The request's parameters, compared when a ClientToken is reused. */
  fingerprint: string;
  s3Bucket: string;
  s3BucketOwner?: string;
  s3Prefix?: string;
  s3SseAlgorithm: 'AES256' | 'KMS';
  s3SseKmsKeyId?: string;
  format: ExportFormat;
  type: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
  /** Whether the request set ExportType (DynamoDB echoes it only then). Absent on older records: set. */
  typeOmitted?: boolean;
  /** Full exports: the instant exported. */
  exportMs?: number;
  /** Incremental exports: [fromMs, toMs) and the view. */
  incremental?: { fromMs: number; toMs: number; view: ExportViewType };
  itemCount: number;
  billedSizeBytes: number;
  /** Key of manifest-summary.json once COMPLETED. */
  manifestKey?: string;
  failureCode?: string;
  failureMessage?: string;
}

export type ExportRequest = Omit<ExportRecord, 'exportArn' | 'exportId' | 'status' | 'startMs' | 'itemCount' | 'billedSizeBytes' | 'tableArn' | 'tableId' | 'tableName'>;

export class ExportCatalog extends JobCatalog<ExportRecord> {
  constructor(
    db: Database,
    private readonly pins: RetentionPins,
  ) {
    super(db, { range: exportRecordRange, arnOf: (record) => record.exportArn, keyOf: exportRecordKey });
  }

  /** Exports a restart cut short are FAILED: their destination holds a partial export without a summary. */
  recover(): void {
    for (const record of this.records.values()) {
      if (record.status !== 'IN_PROGRESS') continue;
      this.db.runInBackground(`failing interrupted export ${record.exportArn}`, () =>
        this.finish(record, { status: 'FAILED', failureCode: 'InternalError', failureMessage: 'The export was interrupted by a server restart' }),
      );
    }
  }

  /**
   * Records an IN_PROGRESS export and starts it. `asOf` (full) or the window (incremental) must
   * already be checked against the table's recovery window; the caller pins nothing.
   * `releaseSlot` gives back the export's slot (src/backup/job-slots.ts) when the job ends.
   */
  async start(table: TableRecord, request: ExportRequest, store: ObjectStore, releaseSlot: () => void): Promise<ExportRecord> {
    const db = this.db;
    const startMs = db.clock.now();
    const exportId = newJobId(startMs);
    const record: ExportRecord = {
      ...request,
      exportArn: `${table.tableArn}/export/${exportId}`,
      exportId,
      status: 'IN_PROGRESS',
      startMs,
      tableArn: table.tableArn,
      tableId: table.tableId,
      tableName: table.spec.TableName,
      itemCount: 0,
      billedSizeBytes: 0,
    };
    // Pin the log from the first change the export may read, before anything can prune it.
    const releasePin = this.pins.pin(table.tableNumber, record.incremental ? record.incremental.fromMs - 1 : (record.exportMs as number));
    const release = () => {
      releasePin();
      releaseSlot();
    };
    try {
      await this.save(record);
    } catch (error) {
      release();
      throw error;
    }
    db.runInBackground(`export ${record.exportArn}`, () => this.run(table, record, store).finally(release));
    return record;
  }

  private async run(table: TableRecord, record: ExportRecord, store: ObjectStore): Promise<void> {
    try {
      const folder = exportFolder(record.s3Prefix, record.exportId);
      await store.put(record.s3Bucket, `${folder}/_started`, Buffer.alloc(0), record.s3BucketOwner);
      const files = new DataFiles(store, record, folder);
      if (record.incremental) await writeIncremental(this.db, table, record.incremental, files);
      else await writeFull(this.db, table, await this.fullPosition(table, record.exportMs as number), files);
      const entries = await files.finish();
      const manifestFilesKey = `${folder}/manifest-files.json`;
      const manifestFiles = Buffer.from(manifestFilesText(entries));
      await store.put(record.s3Bucket, manifestFilesKey, manifestFiles, record.s3BucketOwner);
      await store.put(record.s3Bucket, `${folder}/manifest-files.md5`, Buffer.from(md5Base64(manifestFiles)), record.s3BucketOwner);
      const endMs = Math.max(this.db.clock.now(), record.startMs);
      const summary = Buffer.from(
        manifestSummaryText({
          exportArn: record.exportArn,
          startMs: record.startMs,
          endMs,
          tableArn: record.tableArn,
          tableId: record.tableId,
          s3Bucket: record.s3Bucket,
          s3Prefix: record.s3Prefix,
          s3SseAlgorithm: record.s3SseAlgorithm,
          s3SseKmsKeyId: record.s3SseKmsKeyId,
          manifestFilesS3Key: manifestFilesKey,
          billedSizeBytes: files.billedSizeBytes,
          itemCount: files.itemCount,
          format: record.format,
          full: record.incremental ?? { exportMs: record.exportMs as number },
        }),
      );
      const manifestKey = `${folder}/manifest-summary.json`;
      await store.put(record.s3Bucket, manifestKey, summary, record.s3BucketOwner);
      await store.put(record.s3Bucket, `${folder}/manifest-summary.md5`, Buffer.from(md5Base64(summary)), record.s3BucketOwner);
      await this.finish(record, { status: 'COMPLETED', endMs, itemCount: files.itemCount, billedSizeBytes: files.billedSizeBytes, manifestKey });
    } catch (error) {
      const failure =
        error instanceof ObjectStoreError
          ? { failureCode: error.failureCode, failureMessage: error.message }
          : { failureCode: 'InternalError', failureMessage: 'The export failed because of an internal error' };
      if (!(error instanceof ObjectStoreError)) this.db.log(`export ${record.exportArn} failed: ${error instanceof Error ? error.stack : String(error)}`);
      await this.finish(record, { status: 'FAILED', ...failure });
    }
  }

  /**
   * The log position of "the table at `exportMs`", once every change up to it has committed: a
   * barrier transaction waits for earlier commits (as point-in-time restores do).
   */
  private async fullPosition(table: TableRecord, exportMs: number): Promise<LogPosition> {
    const { last, nowMs } = await this.db.store.transact((tx) => ({ last: this.db.catalog.changeLog.lastPosition(tx, table.tableNumber), nowMs: this.db.clock.now() }));
    return exportMs < nowMs ? endOfMs(exportMs) : last;
  }
}

function md5Base64(body: Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

/** Data files of one export: lines are gathered up to exportFileBytesMax, then gzipped and written. */
class DataFiles {
  itemCount = 0;
  billedSizeBytes = 0;
  private readonly entries: DataFileEntry[] = [];
  private lines: string[] = [];
  private lineBytes = 0;
  private lineCount = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly record: ExportRecord,
    private readonly folder: string,
  ) {}

  get format(): ExportFormat {
    return this.record.format;
  }

  async add(line: string, billedBytes: number): Promise<void> {
    this.lines.push(line);
    this.lineBytes += Buffer.byteLength(line);
    this.lineCount++;
    this.itemCount++;
    this.billedSizeBytes += billedBytes;
    if (this.lineBytes >= exportFileBytesMax) await this.flush();
  }

  /** Writes the last file; an empty export still gets one (empty) data file, as DynamoDB's do. */
  async finish(): Promise<DataFileEntry[]> {
    if (this.lineCount > 0 || this.entries.length === 0) await this.flush();
    return this.entries;
  }

  private async flush(): Promise<void> {
    const body = await gzipAsync(Buffer.from(this.lines.join('')));
    const key = `${this.folder}/data/${dataFileName(this.record.format)}`;
    const etag = await this.store.put(this.record.s3Bucket, key, body, this.record.s3BucketOwner);
    this.entries.push({ itemCount: this.lineCount, md5Checksum: md5Base64(body), etag, dataFileS3Key: key });
    this.lines = [];
    this.lineBytes = 0;
    this.lineCount = 0;
  }
}

/**
 * The table as it was at `asOf`, written without blocking writers. An item's state at P is the
 * old image of its first change after P if it has one, else its current state (as in
 * snapshot.ts). Exported lines cannot be taken back, so:
 *   pass 1 copies the current items (one MVCC snapshot) to a private temporary file;
 *   pass 2 reads the log from P to a barrier taken after pass 1: the first change per item;
 *   pass 3 streams the file, writing each item's corrected state, then the items that existed
 *          at P but were gone from the snapshot.
 * Memory holds one entry per item changed since P; the items themselves stream through the file.
 */
async function writeFull(db: Database, table: TableRecord, asOf: LogPosition, files: DataFiles): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'tabula-export-'));
  try {
    const snapshotFile = join(scratch, 'snapshot.jsonl');
    const out = createWriteStream(snapshotFile);
    const prefix = indexPrefix(table.tableNumber, baseIndexNumber);
    for (const { key, value } of db.store.range({ start: prefix, end: prefixEnd(prefix) })) {
      const [, item] = value as StoredItem;
      const line = `${key.subarray(itemKeySuffixOffset).toString('hex')}\t${JSON.stringify(item)}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const until = await db.store.transact((tx) => db.catalog.changeLog.lastPosition(tx, table.tableNumber));
    const firstChange = new Map<string, Item | null>();
    for (const change of readChanges(db.store, table.tableNumber, asOf, until)) {
      const id = change.keySuffix.toString('hex');
      if (!firstChange.has(id)) firstChange.set(id, change.oldImage ?? null);
    }

    const lines = createInterface({ input: createReadStream(snapshotFile), crlfDelay: Infinity });
    for await (const line of lines) {
      const tab = line.indexOf('\t');
      const id = line.slice(0, tab);
      let item: Item | null | undefined = firstChange.get(id);
      if (item === undefined) item = JSON.parse(line.slice(tab + 1)) as Item;
      else firstChange.delete(id);
      if (item) await files.add(fullExportLine(files.format, item), itemSize(item));
    }
    for (const item of firstChange.values()) if (item) await files.add(fullExportLine(files.format, item), itemSize(item));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The changes of [fromMs, toMs), compacted to one record per item: its state before the window
 * (the old image of its first change) and after it (the new image of its last change). An item
 * created and deleted inside the window leaves no record.
 */
async function writeIncremental(db: Database, table: TableRecord, window: { fromMs: number; toMs: number; view: ExportViewType }, files: DataFiles): Promise<void> {
  // A barrier: every change committed before it is readable after it.
  await db.store.transact((tx) => db.catalog.changeLog.lastPosition(tx, table.tableNumber));
  const compacted = new Map<string, { oldImage: Item | undefined; newImage: Item | undefined; lastMs: number }>();
  for (const change of readChanges(db.store, table.tableNumber, endOfMs(window.fromMs - 1), endOfMs(window.toMs - 1))) {
    const id = change.keySuffix.toString('latin1');
    const seen = compacted.get(id);
    if (seen) {
      seen.newImage = change.newImage;
      seen.lastMs = change.position.commitMs;
    } else {
      compacted.set(id, { oldImage: change.oldImage, newImage: change.newImage, lastMs: change.position.commitMs });
    }
  }
  const schema = table.spec.keySchema;
  for (const entry of compacted.values()) {
    const image = entry.newImage ?? entry.oldImage;
    if (!image) continue;
    const keys: Item = { [schema.partitionKey.name]: image[schema.partitionKey.name]! };
    if (schema.sortKey) keys[schema.sortKey.name] = image[schema.sortKey.name]!;
    const record: IncrementalRecord = { writeTimestampMicros: entry.lastMs * 1000, keys, newImage: entry.newImage, oldImage: entry.oldImage };
    const billed = (entry.newImage ? itemSize(entry.newImage) : itemSize(keys)) + (window.view === 'NEW_AND_OLD_IMAGES' && entry.oldImage ? itemSize(entry.oldImage) : 0);
    await files.add(incrementalExportLine(files.format, window.view, record), billed);
  }
}
