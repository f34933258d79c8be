// Shared bits of the export/import tests: a real server with a controllable clock and a private
// export directory, polling helpers, and a small reader of DynamoDB's export layout that checks
// every manifest field and checksum the way a consumer of real exports would.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import { DescribeExportCommand, DescribeImportCommand, type DynamoDBClient, type ExportDescription, type ImportTableDescription } from '@aws-sdk/client-dynamodb';
import * as ion from 'ion-js';
import { startTestServer, type TestServer } from '../support/server.js';
import { configureBulkTransfers } from '../../src/backup/index.js';
import { signWithClock, type ManualClock } from '../support/clock.js';
import { pollUntil } from '../support/polling.js';

export type WireItem = Record<string, Record<string, unknown>>;

export interface TransferServer extends TestServer {
  exportDir: string;
}

/** A server whose clock is `clock`; requests are signed with the clock's time (its skew check). */
export async function startTransferServer(clock: ManualClock): Promise<TransferServer> {
  const server = await startTestServer({ clock, ttlSweepIntervalMs: 0 });
  signWithClock(server.client, clock);
  const exportDir = mkdtempSync(join(tmpdir(), 'tabula-export-test-'));
  configureBulkTransfers(server.server.database, { exportDir });
  return { ...server, exportDir };
}

export async function waitForExport(client: DynamoDBClient, exportArn: string): Promise<ExportDescription> {
  const description = await pollUntil(
    async () => (await client.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription,
    (current) => current?.ExportStatus !== 'IN_PROGRESS',
    `export ${exportArn} never finished`,
    2000,
  );
  return description!;
}

export async function waitForImport(client: DynamoDBClient, importArn: string): Promise<ImportTableDescription> {
  const description = await pollUntil(
    async () => (await client.send(new DescribeImportCommand({ ImportArn: importArn }))).ImportTableDescription,
    (current) => current?.ImportStatus !== 'IN_PROGRESS',
    `import ${importArn} never finished`,
    2000,
  );
  return description!;
}

export interface ParsedExport {
  summary: Record<string, unknown>;
  files: { itemCount: number; md5Checksum: string; etag: string; dataFileS3Key: string }[];
  /** Every data line, parsed (DynamoDB JSON, or Ion converted to DynamoDB JSON with ion-js). */
  records: Record<string, unknown>[];
  keys: string[];
}

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Reads an export from `<dir>/<bucket>/<manifest key>` and checks its layout and manifests. */
export function readExport(dir: string, bucket: string, manifestKey: string): ParsedExport {
  const root = join(dir, bucket);
  const folder = manifestKey.replace(/\/manifest-summary\.json$/, '');
  assert.match(folder, /(^|\/)AWSDynamoDB\/\d{14}-[0-9a-f]{8}$/);
  assert.ok(existsSync(join(root, folder, '_started')), '_started marker');
  const summaryText = readFileSync(join(root, manifestKey));
  assert.equal(readFileSync(join(root, folder, 'manifest-summary.md5'), 'utf8'), createHash('md5').update(summaryText).digest('base64'));
  const summary = JSON.parse(summaryText.toString('utf8')) as Record<string, unknown>;
  const incremental = summary.exportType === 'INCREMENTAL_EXPORT';
  assert.equal(summary.version, incremental ? '2023-08-01' : '2020-06-30');
  for (const field of ['startTime', 'endTime', ...(incremental ? ['exportFromTime', 'exportToTime'] : ['exportTime'])]) assert.match(String(summary[field]), isoPattern, field);
  assert.match(String(summary.exportArn), /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/[^/]+\/export\/\d{14}-[0-9a-f]{8}$/);
  assert.match(String(summary.tableId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(summary.s3Bucket, bucket);
  assert.equal(summary.manifestFilesS3Key, `${folder}/manifest-files.json`);
  assert.equal(typeof summary.itemCount, 'number');
  assert.equal(typeof summary.billedSizeBytes, 'number');
  assert.ok(summary.outputFormat === 'DYNAMODB_JSON' || summary.outputFormat === 'ION');

  const filesText = readFileSync(join(root, String(summary.manifestFilesS3Key)));
  assert.equal(readFileSync(join(root, folder, 'manifest-files.md5'), 'utf8'), createHash('md5').update(filesText).digest('base64'));
  const files = filesText
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ParsedExport['files'][number]);
  assert.ok(files.length >= 1, 'at least one data file');
  const records: Record<string, unknown>[] = [];
  for (const file of files) {
    assert.deepEqual(Object.keys(file).sort(), ['dataFileS3Key', 'etag', 'itemCount', 'md5Checksum']);
    assert.match(file.dataFileS3Key, new RegExp(`^${folder}/data/[a-z2-7]{26}\\.${summary.outputFormat === 'ION' ? 'ion' : 'json'}\\.gz$`));
    const body = readFileSync(join(root, file.dataFileS3Key));
    assert.equal(file.md5Checksum, createHash('md5').update(body).digest('base64'));
    assert.equal(file.etag, createHash('md5').update(body).digest('hex'));
    const lines = gunzipSync(body)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
    assert.equal(lines.length, file.itemCount);
    for (const line of lines) records.push(summary.outputFormat === 'ION' ? ionLineToJson(line) : (JSON.parse(line) as Record<string, unknown>));
  }
  assert.equal(records.length, summary.itemCount);
  return { summary, files, records, keys: files.map((file) => file.dataFileS3Key) };
}

/** One Ion export line, read with ion-js (an independent reader), as the DynamoDB JSON it maps to. */
function ionLineToJson(line: string): Record<string, unknown> {
  assert.ok(line.startsWith('$ion_1_0 '), 'each Ion line starts with the version marker');
  const values = ion.loadAll(line);
  assert.equal(values.length, 1);
  const top = values[0]!;
  const out: Record<string, unknown> = {};
  for (const [name, value] of top.fields()) {
    if (name === 'Metadata') out.Metadata = { WriteTimestampMicros: { N: String(value.get('WriteTimestampMicros')!.numberValue()) } };
    else out[name] = ionStructToItem(value);
  }
  return out;
}

function ionStructToItem(value: ion.dom.Value): WireItem {
  const item: WireItem = {};
  for (const [name, field] of value.fields()) item[name] = ionToWire(field);
  return item;
}

function ionToWire(value: ion.dom.Value): Record<string, unknown> {
  const annotation = value.getAnnotations()[0];
  const type = value.getType();
  if (value.isNull()) return { NULL: true };
  if (type === ion.IonTypes.STRING) return { S: value.stringValue() };
  if (type === ion.IonTypes.BOOL) return { BOOL: value.booleanValue() };
  if (type === ion.IonTypes.DECIMAL) return { N: decimalText(value.decimalValue()!) };
  if (type === ion.IonTypes.BLOB) return { B: Buffer.from(value.uInt8ArrayValue()!).toString('base64') };
  if (type === ion.IonTypes.STRUCT) return { M: ionStructToItem(value) };
  if (type === ion.IonTypes.LIST) {
    const elements = [...value.elements()];
    if (annotation === '$dynamodb_SS') return { SS: elements.map((element) => element.stringValue()) };
    if (annotation === '$dynamodb_NS') return { NS: elements.map((element) => decimalText(element.decimalValue()!)) };
    if (annotation === '$dynamodb_BS') return { BS: elements.map((element) => Buffer.from(element.uInt8ArrayValue()!).toString('base64')) };
    return { L: elements.map(ionToWire) };
  }
  throw new Error(`unexpected Ion type ${type.name} in an export`);
}

/** An ion-js Decimal as DynamoDB's plain number text. */
function decimalText(decimal: ion.Decimal): string {
  const coefficient = decimal.getCoefficient();
  const exponent = decimal.getExponent();
  const negative = decimal.isNegative();
  let digits = (coefficient < 0n ? -coefficient : coefficient).toString();
  let text: string;
  if (exponent >= 0) text = digits === '0' ? '0' : digits + '0'.repeat(exponent);
  else {
    const point = digits.length + exponent;
    if (point <= 0) digits = '0'.repeat(1 - point) + digits;
    const split = digits.length + exponent;
    text = `${digits.slice(0, split)}.${digits.slice(split)}`.replace(/0+$/, '').replace(/\.$/, '');
  }
  return (negative && text !== '0' ? '-' : '') + text;
}
