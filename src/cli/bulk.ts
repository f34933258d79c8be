// `tabula export` and `tabula import`: bulk copies between a running server (TabulaDB or
// DynamoDB itself) and files, through the public API with @aws-sdk/client-dynamodb, with a
// progress bar on stderr. Export scans in parallel segments and writes DynamoDB's export layout
// (gzip JSON lines plus manifests), which `tabula import` and ImportTable both read back.
// Import reads CSV, DynamoDB JSON or Ion files (gzip or zstd too) and writes them with
// BatchWriteItem, retrying UnprocessedItems with backoff: the migration path from another database.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  waitUntilTableExists,
  type AttributeValue as SdkAttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Item, ScalarType } from '../model/attribute-value.js';
import { dataFileName, exportFolder, fullExportLine, manifestFilesText, manifestSummaryText, newJobId, type DataFileEntry, type ExportFormat } from '../backup/export-format.js';
import { decompress, readSourceStream, type CsvOptions, type InputCompression, type InputFormat, type SourceRecord } from '../backup/import-formats.js';

const help = `Usage:
  tabula export --endpoint URL --table T --out DIR [--format json|ion] [--segments N]
  tabula import --endpoint URL --table T --file F [--format csv|json|ion] [--delimiter C]
                [--header a,b,c] [--create-table pk:S[,sk:N]] [--concurrency N]

Copies a table to files or files into a table through the DynamoDB API (works against
TabulaDB and DynamoDB alike). Common options:
  --endpoint URL             the server (default http://127.0.0.1:8000)
  --region NAME              signing region (default us-east-1 or AWS_REGION)
  --access-key-id ID         credentials (default: AWS_ACCESS_KEY_ID, else the local development key)
  --secret-access-key S

export writes DIR/AWSDynamoDB/<id>/ in DynamoDB's export layout: data/*.json.gz (or .ion.gz),
manifest-files.json, manifest-summary.json. --segments sets the parallel Scan segments (default 4).

import reads F, or every file under F when it is a directory (an export's data/ folder works).
The format is --format, else guessed from the name (.csv, .json/.jsonl, .ion; .gz and .zst
are decompressed). In CSV, key attributes take their declared types and other columns are strings.
--create-table creates the table (on-demand) when it does not exist.
`;

const localDevelopmentKey = { accessKeyId: 'tabula', secretAccessKey: 'tabula-local-secret' };

export async function runBulkCommand(argv: string[]): Promise<void> {
  const command = argv[0];
  const { values } = parseArgs({
    args: argv.slice(1),
    options: {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      table: { type: 'string' },
      out: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      segments: { type: 'string' },
      concurrency: { type: 'string' },
      delimiter: { type: 'string' },
      header: { type: 'string' },
      'create-table': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  if (!values.table) throw new Error(`--table is required\n\n${help}`);
  const env = process.env;
  const accessKeyId = values['access-key-id'] ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = values['secret-access-key'] ?? env.AWS_SECRET_ACCESS_KEY;
  const client = new DynamoDBClient({
    endpoint: values.endpoint ?? 'http://127.0.0.1:8000',
    region: values.region ?? env.AWS_REGION ?? 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }) } : localDevelopmentKey,
  });
  try {
    if (command === 'export') {
      if (!values.out) throw new Error(`--out is required\n\n${help}`);
      const format: ExportFormat = values.format === 'ion' ? 'ION' : 'DYNAMODB_JSON';
      await exportTable(client, values.table, values.out, format, positiveInt(values.segments, 4, '--segments'));
    } else {
      if (!values.file) throw new Error(`--file is required\n\n${help}`);
      await importFiles(client, {
        table: values.table,
        path: values.file,
        format: values.format,
        delimiter: values.delimiter === '\\t' ? '\t' : values.delimiter,
        header: values.header?.split(','),
        createTable: values['create-table'],
        concurrency: positiveInt(values.concurrency, 4, '--concurrency'),
      });
    }
  } finally {
    client.destroy();
  }
}

function positiveInt(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

// ---- progress ------------------------------------------------------------------------------

/** `[#####.....] 52% 52000/100000 items 8000 items/s` on stderr: redrawn on a terminal, a line a second otherwise. */
export class Progress {
  private done = 0;
  private lastDrawMs = 0;
  private readonly startMs = Date.now();

  constructor(
    private total: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  add(count: number): void {
    this.done += count;
    const now = Date.now();
    if (now - this.lastDrawMs >= (this.stream.isTTY ? 100 : 1000)) {
      this.lastDrawMs = now;
      this.draw(false);
    }
  }

  finish(): void {
    if (this.total === undefined || this.total < this.done) this.total = this.done;
    this.draw(true);
  }

  get count(): number {
    return this.done;
  }

  private draw(final: boolean): void {
    const elapsedSeconds = Math.max((Date.now() - this.startMs) / 1000, 0.001);
    const rate = Math.round(this.done / elapsedSeconds);
    const total = this.total !== undefined && this.total >= this.done ? this.total : undefined;
    const fraction = total ? this.done / total : final ? 1 : 0;
    const width = 20;
    const filled = Math.round(fraction * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const percent = total !== undefined || final ? `${Math.floor(fraction * 100)}% ` : '';
    const text = `${bar} ${percent}${this.done}${total !== undefined ? `/${total}` : ''} items ${rate} items/s`;
    if (this.stream.isTTY) this.stream.write(`\r${text}${final ? '\n' : ''}`);
    else this.stream.write(`${text}\n`);
  }
}

// ---- export --------------------------------------------------------------------------------

async function exportTable(client: DynamoDBClient, table: string, outDir: string, format: ExportFormat, segments: number): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const startMs = Date.now();
  const exportId = newJobId(startMs);
  const folder = exportFolder(undefined, exportId);
  await mkdir(join(outDir, folder, 'data'), { recursive: true });
  await writeFile(join(outDir, folder, '_started'), '');
  const progress = new Progress(Table?.ItemCount);
  const results = await Promise.all(Array.from({ length: segments }, (_, segment) => exportSegment(client, table, outDir, folder, format, segment, segments, progress)));
  progress.finish();
  const entries = results.flatMap((result) => result.entries);
  const manifestFiles = manifestFilesText(entries);
  await writeFile(join(outDir, folder, 'manifest-files.json'), manifestFiles);
  await writeFile(join(outDir, folder, 'manifest-files.md5'), md5Base64(Buffer.from(manifestFiles)));
  const summary = manifestSummaryText({
    exportArn: `${Table?.TableArn ?? table}/export/${exportId}`,
    startMs,
    endMs: Date.now(),
    tableArn: Table?.TableArn ?? table,
    tableId: Table?.TableId ?? '',
    s3Bucket: outDir,
    s3Prefix: undefined,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: undefined,
    manifestFilesS3Key: `${folder}/manifest-files.json`,
    billedSizeBytes: results.reduce((sum, result) => sum + result.bytes, 0),
    itemCount: progress.count,
    format,
    full: { exportMs: startMs },
  });
  await writeFile(join(outDir, folder, 'manifest-summary.json'), summary);
  await writeFile(join(outDir, folder, 'manifest-summary.md5'), md5Base64(Buffer.from(summary)));
  process.stderr.write(`exported ${progress.count} items of ${table} to ${join(outDir, folder)}\n`);
}

/** One Scan segment into gzip data files of at most ~32 MiB uncompressed each. */
async function exportSegment(
  client: DynamoDBClient,
  table: string,
  outDir: string,
  folder: string,
  format: ExportFormat,
  segment: number,
  totalSegments: number,
  progress: Progress,
): Promise<{ entries: DataFileEntry[]; bytes: number }> {
  const entries: DataFileEntry[] = [];
  let lines: string[] = [];
  let lineBytes = 0;
  let bytes = 0;
  const flush = async () => {
    const body = gzipSync(Buffer.from(lines.join('')));
    const key = `${folder}/data/${dataFileName(format)}`;
    await writeFile(join(outDir, key), body);
    entries.push({ itemCount: lines.length, md5Checksum: md5Base64(body), etag: createHash('md5').update(body).digest('hex'), dataFileS3Key: key });
    lines = [];
    lineBytes = 0;
  };
  let start: Record<string, SdkAttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Segment: segment, TotalSegments: totalSegments, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const line = fullExportLine(format, sdkToWire(item));
      lines.push(line);
      lineBytes += Buffer.byteLength(line);
      bytes += Buffer.byteLength(line);
      if (lineBytes >= 32 * 1024 * 1024) await flush();
    }
    progress.add(page.Items?.length ?? 0);
    start = page.LastEvaluatedKey;
  } while (start);
  if (lines.length > 0 || entries.length === 0) await flush();
  return { entries, bytes };
}

function md5Base64(body: Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

// ---- import --------------------------------------------------------------------------------

interface ImportOptions {
  table: string;
  path: string;
  format: string | undefined;
  delimiter: string | undefined;
  header: string[] | undefined;
  createTable: string | undefined;
  concurrency: number;
}

const batchWriteRequestsMax = 25;
const retryDelayMsMax = 5000;

async function importFiles(client: DynamoDBClient, options: ImportOptions): Promise<void> {
  const files = await sourceFiles(options.path);
  if (files.length === 0) throw new Error(`no data files under ${options.path}`);
  const schema = await tableSchema(client, options.table, options.createTable);
  const csv = { delimiter: options.delimiter, headerList: options.header };
  // Two streaming passes, so memory stays bounded whatever the files' size: the first counts the
  // records (an honest progress bar) and reports bad ones up front, the second writes.
  let total = 0;
  let errors = 0;
  for (const file of files) {
    for await (const record of fileRecords(file, options.format, schema.keyTypes, csv)) {
      if ('error' in record) {
        errors++;
        if (errors <= 10) process.stderr.write(`${relative(process.cwd(), file)} record ${record.index}: ${record.error}\n`);
      } else total++;
    }
  }
  const progress = new Progress(total);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let batch: Item[] = [];
  let batchKeys = new Set<string>();
  const send = async () => {
    const items = batch;
    batch = [];
    batchKeys = new Set();
    if (items.length === 0) return;
    // At most --concurrency batches in flight: the reader waits for one to finish.
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (failure) throw failure.error;
    const tracked: Promise<void> = writeBatch(client, options.table, items)
      .then(
        () => progress.add(items.length),
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  for (const file of files) {
    for await (const record of fileRecords(file, options.format, schema.keyTypes, csv)) {
      if ('error' in record) continue;
      const item = record.item as Item;
      // BatchWriteItem refuses a key twice in one request.
      const key = JSON.stringify(schema.keyNames.map((name) => item[name]));
      if (batchKeys.has(key)) await send();
      batch.push(item);
      batchKeys.add(key);
      if (batch.length >= batchWriteRequestsMax) await send();
    }
  }
  await send();
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  progress.finish();
  process.stderr.write(`imported ${progress.count} items into ${options.table}${errors > 0 ? `; ${errors} unreadable records skipped` : ''}\n`);
  if (errors > 0) process.exitCode = 2;
}

/** The records of one file, read as a stream (src/backup/import-formats.ts). */
function fileRecords(file: string, explicitFormat: string | undefined, keyTypes: ReadonlyMap<string, ScalarType>, csv: CsvOptions): AsyncGenerator<SourceRecord> {
  const { format, compression } = formatOf(file, explicitFormat);
  return readSourceStream(decompress(createReadStream(file, { highWaterMark: 64 * 1024 }), compression), format, keyTypes, csv);
}

async function writeBatch(client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  let requests: WriteRequest[] = items.map((item) => ({ PutRequest: { Item: wireToSdk(item) } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 0) await sleep(Math.min(retryDelayMsMax, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    requests = result.UnprocessedItems?.[table] ?? [];
  }
}

/** The SDK holds binaries as bytes; files hold them as base64 (the wire form). */
function sdkToWire(item: Record<string, SdkAttributeValue>): Item {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = sdkValueToWire(value);
  return out as Item;
}

function sdkValueToWire(value: SdkAttributeValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: sdkToWire(value.M) };
  if (value.L !== undefined) return { L: value.L.map(sdkValueToWire) };
  return Object.fromEntries(Object.entries(value).filter(([key, member]) => key !== '$unknown' && member !== undefined));
}

function wireToSdk(item: Item): Record<string, SdkAttributeValue> {
  const out: Record<string, SdkAttributeValue> = {};
  for (const [name, value] of Object.entries(item)) out[name] = wireValueToSdk(value as Record<string, unknown>);
  return out;
}

function wireValueToSdk(value: Record<string, unknown>): SdkAttributeValue {
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (value.M && typeof value.M === 'object') return { M: wireToSdk(value.M as Item) };
  if (Array.isArray(value.L)) return { L: (value.L as Record<string, unknown>[]).map(wireValueToSdk) };
  return value as unknown as SdkAttributeValue;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function tableSchema(client: DynamoDBClient, table: string, create: string | undefined): Promise<{ keyNames: string[]; keyTypes: Map<string, ScalarType> }> {
  let description;
  try {
    description = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException' || !create) throw error;
    const elements = create.split(',').map((part) => {
      const [name, type] = part.split(':');
      if (!name || (type !== 'S' && type !== 'N' && type !== 'B')) throw new Error(`--create-table wants name:S|N|B[,name:S|N|B], got ${create}`);
      return { name, type: type as ScalarType };
    });
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: elements.map((element) => ({ AttributeName: element.name, AttributeType: element.type })),
        KeySchema: elements.map((element, index) => ({ AttributeName: element.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: table });
    description = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  }
  const keyNames = (description?.KeySchema ?? []).map((element) => element.AttributeName!);
  const keyTypes = new Map((description?.AttributeDefinitions ?? []).map((definition) => [definition.AttributeName!, definition.AttributeType as ScalarType]));
  return { keyNames, keyTypes };
}

/** The file, or every data file under a directory (manifests and markers skipped), in name order. */
async function sourceFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (!/^(manifest-|_started)/.test(entry.name) && !entry.name.endsWith('.md5')) out.push(full);
    }
  };
  await walk(path);
  return out;
}

function formatOf(file: string, explicit: string | undefined): { format: InputFormat; compression: InputCompression } {
  const lower = file.toLowerCase();
  const compression: InputCompression = lower.endsWith('.gz') ? 'GZIP' : lower.endsWith('.zst') || lower.endsWith('.zstd') ? 'ZSTD' : 'NONE';
  const base = lower.replace(/\.(gz|zst|zstd)$/, '');
  const name = explicit?.toLowerCase() ?? (base.endsWith('.csv') ? 'csv' : base.endsWith('.ion') ? 'ion' : 'json');
  const format: InputFormat = name === 'csv' ? 'CSV' : name === 'ion' ? 'ION' : name === 'json' ? 'DYNAMODB_JSON' : (undefined as never);
  if (!format) throw new Error(`--format must be csv, json or ion, not ${explicit}`);
  return { format, compression };
}
