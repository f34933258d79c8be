// The bytes of an export, as DynamoDB writes them to S3 (developer guide, "DynamoDB table export
// output format"):
//
//   <prefix>/AWSDynamoDB/<ExportId>/_started                 empty, written first
//   <prefix>/AWSDynamoDB/<ExportId>/data/<random>.json.gz    (.ion.gz for ION) gzip, one item per line
//   <prefix>/AWSDynamoDB/<ExportId>/manifest-files.json      JSON lines: itemCount, md5Checksum, etag, dataFileS3Key
//   <prefix>/AWSDynamoDB/<ExportId>/manifest-files.md5       base64 MD5 of manifest-files.json
//   <prefix>/AWSDynamoDB/<ExportId>/manifest-summary.json    the summary (below), written last
//   <prefix>/AWSDynamoDB/<ExportId>/manifest-summary.md5
//
// A full export's line is {"Item":{...}}; an incremental export's is
// {"Metadata":{"WriteTimestampMicros":{"N":"..."}},"Keys":{...},"NewImage":{...},"OldImage":{...}}
// (NewImage absent for a deletion, OldImage only with NEW_AND_OLD_IMAGES and only when the item
// existed before the window). Ion lines carry the same fields, each after a `$ion_1_0` marker.
import { randomBytes } from 'node:crypto';
import type { Item } from '../model/attribute-value.js';
import { ionStruct, ionVersionMarker } from './ion.js';

export type ExportFormat = 'DYNAMODB_JSON' | 'ION';
export type ExportViewType = 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** One changed item of an incremental export, compacted over the window. */
export interface IncrementalRecord {
  writeTimestampMicros: number;
  keys: Item;
  newImage: Item | undefined;
  oldImage: Item | undefined;
}

export function fullExportLine(format: ExportFormat, item: Item): string {
  if (format === 'ION') return `${ionVersionMarker} {Item:${ionStruct(item)}}\n`;
  return `${JSON.stringify({ Item: item })}\n`;
}

export function incrementalExportLine(format: ExportFormat, view: ExportViewType, record: IncrementalRecord): string {
  const oldImage = view === 'NEW_AND_OLD_IMAGES' ? record.oldImage : undefined;
  if (format === 'ION') {
    let line = `${ionVersionMarker} {Metadata:{WriteTimestampMicros:${record.writeTimestampMicros}.},Keys:${ionStruct(record.keys)}`;
    if (record.newImage) line += `,NewImage:${ionStruct(record.newImage)}`;
    if (oldImage) line += `,OldImage:${ionStruct(oldImage)}`;
    return `${line}}\n`;
  }
  const out: Record<string, unknown> = { Metadata: { WriteTimestampMicros: { N: String(record.writeTimestampMicros) } }, Keys: record.keys };
  if (record.newImage) out.NewImage = record.newImage;
  if (oldImage) out.OldImage = oldImage;
  return `${JSON.stringify(out)}\n`;
}

/** "01717243200000-1a2b3c4d": the creation ms (14 digits) and 8 random hex digits, as DynamoDB's ids. */
export function newJobId(nowMs: number): string {
  return `${String(nowMs).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/** A data file's random name: 26 lowercase base32 characters, as in DynamoDB's exports. */
export function dataFileName(format: ExportFormat): string {
  const bytes = randomBytes(26);
  let name = '';
  for (const byte of bytes) name += base32Alphabet[byte & 31];
  return `${name}.${format === 'ION' ? 'ion' : 'json'}.gz`;
}

/** `<prefix>/AWSDynamoDB/<id>` (no prefix: `AWSDynamoDB/<id>`). */
export function exportFolder(s3Prefix: string | undefined, exportId: string): string {
  const prefix = (s3Prefix ?? '').replace(/\/+$/, '');
  return prefix === '' ? `AWSDynamoDB/${exportId}` : `${prefix}/AWSDynamoDB/${exportId}`;
}

export interface DataFileEntry {
  itemCount: number;
  md5Checksum: string;
  etag: string;
  dataFileS3Key: string;
}

export function manifestFilesText(files: readonly DataFileEntry[]): string {
  return files.map((file) => `${JSON.stringify({ itemCount: file.itemCount, md5Checksum: file.md5Checksum, etag: file.etag, dataFileS3Key: file.dataFileS3Key })}\n`).join('');
}

export interface SummaryFacts {
  exportArn: string;
  startMs: number;
  endMs: number;
  tableArn: string;
  tableId: string;
  s3Bucket: string;
  s3Prefix: string | undefined;
  s3SseAlgorithm: string;
  s3SseKmsKeyId: string | undefined;
  manifestFilesS3Key: string;
  billedSizeBytes: number;
  itemCount: number;
  format: ExportFormat;
  full: { exportMs: number } | { fromMs: number; toMs: number; view: ExportViewType };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** manifest-summary.json: version 2020-06-30 for full exports, 2023-08-01 (with window and view) for incremental ones. */
export function manifestSummaryText(facts: SummaryFacts): string {
  const incremental = 'fromMs' in facts.full ? facts.full : undefined;
  const summary: Record<string, unknown> = {
    version: incremental ? '2023-08-01' : '2020-06-30',
    exportArn: facts.exportArn,
    startTime: iso(facts.startMs),
    endTime: iso(facts.endMs),
    tableArn: facts.tableArn,
    tableId: facts.tableId,
  };
  if (incremental) {
    summary.exportFromTime = iso(incremental.fromMs);
    summary.exportToTime = iso(incremental.toMs);
  } else {
    summary.exportTime = iso((facts.full as { exportMs: number }).exportMs);
  }
  Object.assign(summary, {
    s3Bucket: facts.s3Bucket,
    s3Prefix: facts.s3Prefix ?? null,
    s3SseAlgorithm: facts.s3SseAlgorithm,
    s3SseKmsKeyId: facts.s3SseKmsKeyId ?? null,
    manifestFilesS3Key: facts.manifestFilesS3Key,
    billedSizeBytes: facts.billedSizeBytes,
    itemCount: facts.itemCount,
    outputFormat: facts.format,
  });
  if (incremental) {
    summary.outputView = incremental.view;
    summary.exportType = 'INCREMENTAL_EXPORT';
  }
  return JSON.stringify(summary);
}
